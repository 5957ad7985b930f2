package io.sendonly.events.log;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.configuration.ConfigurationProvider;

import io.sendonly.events.Events;

/**
 * The event log's folder, {@code var/log/events/} (0700), and its files (0600): one or more a day (UTC), named
 * {@code events-YYYY-MM-DD.N.jsonl}, N counting from 0 as a day's file reaches {@code maxFileSize}. A file is kept
 * while the day it covers ends within the retention; the trace reads the same files.
 */
@Singleton
public class EventLogFiles {
    public static final String FOLDER = "file://var/log/events";
    private static final Pattern NAME = Pattern.compile("events-([0-9]{4}-[0-9]{2}-[0-9]{2})\\.([0-9]{1,6})\\.jsonl");

    /** One file of the log: the day it covers and its place among that day's files. */
    public record LogFile(Path path, LocalDate day, int index) {
        static final Comparator<LogFile> ORDER = Comparator.comparing(LogFile::day).thenComparingInt(LogFile::index);
    }

    private final Path folder;
    private final EventLogSettings settings;
    private final Clock clock;

    @Inject
    public EventLogFiles(FileSystem fileSystem, ConfigurationProvider configuration, Clock clock) throws IOException, ConfigurationException {
        this(fileSystem.getFile(FOLDER).toPath(), EventLogSettings.from(configuration.getConfiguration(Events.CONFIGURATION)), clock);
    }

    public EventLogFiles(Path folder, EventLogSettings settings, Clock clock) {
        this.folder = folder;
        this.settings = settings;
        this.clock = clock;
    }

    public EventLogSettings settings() {
        return settings;
    }

    Clock clock() {
        return clock;
    }

    /** The files kept, oldest first. */
    public List<LogFile> kept() throws IOException {
        return list().stream().filter(this::kept).toList();
    }

    /** Deletes the files past the retention. */
    void purge() throws IOException {
        for (LogFile file : list()) {
            if (!kept(file)) {
                Files.deleteIfExists(file.path());
            }
        }
    }

    /** The file to append to for the given day: the day's last, unless it reached {@code maxFileSize}. */
    Path current(LocalDate day) throws IOException {
        Optional<LogFile> last = list().stream().filter(file -> file.day().equals(day)).max(LogFile.ORDER);
        if (last.isEmpty()) {
            return create(day, 0);
        }
        return Files.size(last.get().path()) >= settings.maxFileSize() ? create(day, last.get().index() + 1) : last.get().path();
    }

    /** The file after {@code path}, the same day, once {@code path} is full. */
    Path next(Path path) throws IOException {
        LogFile file = parse(path).orElseThrow();
        return create(file.day(), file.index() + 1);
    }

    LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    private boolean kept(LogFile file) {
        Instant end = file.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return end.isAfter(clock.instant().minus(settings.retention()));
    }

    private Path create(LocalDate day, int index) throws IOException {
        if (!Files.isDirectory(folder)) {
            Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path path = folder.resolve("events-" + day + "." + index + ".jsonl");
        if (!Files.exists(path)) {
            Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return path;
    }

    private List<LogFile> list() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<LogFile> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "events-*.jsonl")) {
            entries.forEach(path -> parse(path).ifPresent(files::add));
        }
        files.sort(LogFile.ORDER);
        return files;
    }

    private static Optional<LogFile> parse(Path path) {
        Matcher matcher = NAME.matcher(path.getFileName().toString());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LogFile(path, LocalDate.parse(matcher.group(1)), Integer.parseInt(matcher.group(2))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
