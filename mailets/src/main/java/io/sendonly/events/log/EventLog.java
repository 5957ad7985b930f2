package io.sendonly.events.log;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.events.EventListener;
import io.sendonly.events.Events;
import io.sendonly.events.MessageEvent;

/**
 * Writes each event as one JSON line ({@link EventJson}) to the files of {@link EventLogFiles}. The mail thread only
 * queues the event; a thread of its own writes, flushes every {@link #FLUSH_MILLIS} ms at most, starts a new file at
 * each day (UTC) and at {@code maxFileSize}, and deletes the files past the retention. {@link #close()} writes what is
 * still queued, so a clean stop loses nothing; an event published after it is written at once.
 */
@Singleton
public class EventLog implements EventListener, AutoCloseable {
    static final long FLUSH_MILLIS = 200;
    private static final Logger LOGGER = LoggerFactory.getLogger(EventLog.class);

    private final EventLogFiles files;
    private final LinkedBlockingQueue<MessageEvent> pending = new LinkedBlockingQueue<>();
    private final Object lock = new Object();
    private final Thread writer;
    private volatile boolean running;
    private BufferedOutputStream out;
    private Path path;
    private LocalDate day;
    private long size;

    @Inject
    public EventLog(EventLogFiles files) {
        this.files = files;
        this.writer = new Thread(this::writeLoop, "event-log");
        this.writer.setDaemon(true);
    }

    /** Subscribes to the events and starts writing, when the log is enabled. */
    public void start(Events events) throws IOException {
        if (!files.settings().enabled()) {
            LOGGER.info("Event log disabled (events.xml <log enabled=\"false\">)");
            return;
        }
        files.purge();
        running = true;
        writer.start();
        events.subscribe(this);
    }

    @Override
    public void on(MessageEvent event) {
        if (running) {
            pending.add(event);
        } else {
            write(List.of(event));
            closeFile();
        }
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<MessageEvent> rest = new ArrayList<>();
        pending.drainTo(rest);
        write(rest);
        closeFile();
    }

    private void writeLoop() {
        List<MessageEvent> batch = new ArrayList<>();
        while (running) {
            try {
                MessageEvent first = pending.poll(FLUSH_MILLIS, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                pending.drainTo(batch);
                write(batch);
                batch.clear();
                // Lets a burst gather into the next batch: one flush per period, not per event.
                Thread.sleep(FLUSH_MILLIS / 4);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Appends the events and flushes; an I/O failure is logged with the events it lost, never thrown at mail. */
    private void write(List<MessageEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        synchronized (lock) {
            try {
                for (MessageEvent event : events) {
                    byte[] line = (EventJson.line(event) + "\n").getBytes(StandardCharsets.UTF_8);
                    roll(line.length);
                    out.write(line);
                    size += line.length;
                }
                out.flush();
            } catch (IOException | RuntimeException e) {
                LOGGER.error("Event log: could not write {} events to {}", events.size(), path, e);
                closeFile();
            }
        }
    }

    /** Opens the file the next line goes to: a new one at a new day, or when this line would pass maxFileSize. */
    private void roll(int length) throws IOException {
        LocalDate today = files.today();
        if (out != null && today.equals(day) && (size == 0 || size + length <= files.settings().maxFileSize())) {
            return;
        }
        Path next = out != null && today.equals(day) ? files.next(path) : files.current(today);
        closeFile();
        if (!today.equals(day)) {
            files.purge();
        }
        out = new BufferedOutputStream(Files.newOutputStream(next, StandardOpenOption.APPEND), 1 << 16);
        path = next;
        day = today;
        size = Files.size(next);
    }

    private void closeFile() {
        synchronized (lock) {
            if (out != null) {
                try {
                    out.close();
                } catch (IOException e) {
                    LOGGER.error("Event log: could not close {}", path, e);
                }
                out = null;
            }
        }
    }
}
