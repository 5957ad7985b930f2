package io.sendonly.events.log;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.events.MessageEvent;

/** The trace: the events of the log files within retention that match a query, in time order. */
@Singleton
public class EventLogSearch {
    private static final Logger LOGGER = LoggerFactory.getLogger(EventLogSearch.class);

    private final EventLogFiles files;

    @Inject
    public EventLogSearch(EventLogFiles files) {
        this.files = files;
    }

    public List<MessageEvent> find(EventQuery query) throws IOException {
        List<MessageEvent> found = new ArrayList<>();
        for (EventLogFiles.LogFile file : files.kept()) {
            if (query.since().map(start -> file.day().isBefore(LocalDate.ofInstant(start, ZoneOffset.UTC))).orElse(false)
                || query.until().map(end -> file.day().isAfter(LocalDate.ofInstant(end, ZoneOffset.UTC))).orElse(false)) {
                continue;
            }
            read(file, query, found);
        }
        found.sort(Comparator.comparing(MessageEvent::time));
        return found.subList(Math.min(query.offset(), found.size()), Math.min(query.offset() + query.limit(), found.size()));
    }

    private static void read(EventLogFiles.LogFile file, EventQuery query, List<MessageEvent> found) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file.path(), StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (query.needle().map(line::contains).orElse(true)) {
                    parse(file, line, query, found);
                }
            }
        } catch (NoSuchFileException e) {
            LOGGER.debug("{} deleted while read", file.path());
        }
    }

    private static void parse(EventLogFiles.LogFile file, String line, EventQuery query, List<MessageEvent> found) {
        try {
            MessageEvent event = EventJson.parse(line);
            if (query.matches(event)) {
                found.add(event);
            }
        } catch (IllegalArgumentException e) {
            // The line being written as we read, or a damaged one: the rest of the file still counts.
            LOGGER.debug("{}: skipped a line that is not an event: {}", file.path(), e.getMessage());
        }
    }
}
