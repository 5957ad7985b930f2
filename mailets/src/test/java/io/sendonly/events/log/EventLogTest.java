package io.sendonly.events.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.events.BounceClass;
import io.sendonly.events.EventType;
import io.sendonly.events.Events;
import io.sendonly.events.MessageEvent;
import io.sendonly.server.testing.SettableClock;

class EventLogTest {
    private static final Instant DAY_ONE = Instant.parse("2026-11-01T23:00:00Z");

    @TempDir
    Path var;

    private final SettableClock clock = new SettableClock(DAY_ONE);
    private final Events events = new Events();
    private EventLog log;

    @AfterEach
    void stop() {
        if (log != null) {
            log.close();
        }
    }

    @Test
    void closeShouldWriteEveryEventAsOneJsonLineInAPrivateFileOfAPrivateFolder() throws Exception {
        EventLogFiles files = start(EventLogSettings.DEFAULT);
        events.publish(bounced("m1", "alice@example.net"));
        events.publish(bounced("m2", "bob@example.net"));
        log.close();

        Path folder = var.resolve("events");
        List<Path> written = files(folder);
        assertThat(written).hasSize(1);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written.get(0)))).isEqualTo("rw-------");
        assertThat(Files.readAllLines(written.get(0))).hasSize(2).allMatch(line -> line.startsWith("{") && line.endsWith("}"));
        List<MessageEvent> found = new EventLogSearch(files).find(query(Optional.of("m2@example.com")));
        assertThat(found).singleElement().satisfies(event -> {
            assertThat(event.recipient()).contains("bob@example.net");
            assertThat(event.bounceClass()).contains(BounceClass.HARD);
            assertThat(event.details()).containsEntry("reply", "550 5.1.1 no such user");
        });
    }

    @Test
    void logShouldContinueInTheNextFileWhenTheFileWouldPassMaxFileSize() throws Exception {
        EventLogFiles files = start(new EventLogSettings(true, Duration.ofDays(7), 1024));
        IntStream.range(0, 20).forEach(index -> events.publish(bounced("m" + index, "alice@example.net")));
        log.close();

        List<Path> written = files(var.resolve("events"));
        assertThat(written).hasSizeGreaterThan(2).allMatch(path -> path.toFile().length() <= 1024);
        assertThat(written.get(0).getFileName().toString()).isEqualTo("events-2026-11-01.0.jsonl");
        assertThat(new EventLogSearch(files).find(query(Optional.empty())))
            .extracting(MessageEvent::queueId)
            .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(index -> "m" + index).toList());
    }

    @Test
    void logShouldStartANewFileEachDay() throws Exception {
        start(EventLogSettings.DEFAULT);
        events.publish(bounced("m1", "alice@example.net"));
        log.close();
        clock.advance(Duration.ofHours(2));
        events.publish(bounced("m2", "alice@example.net"));

        assertThat(files(var.resolve("events"))).extracting(path -> path.getFileName().toString())
            .containsExactly("events-2026-11-01.0.jsonl", "events-2026-11-02.0.jsonl");
    }

    @Test
    void logShouldDeleteTheFilesPastTheRetentionAndTheTraceIgnoreThem() throws Exception {
        EventLogFiles files = start(new EventLogSettings(true, Duration.ofDays(2), 1 << 20));
        events.publish(bounced("old", "alice@example.net"));
        log.close();
        clock.advance(Duration.ofDays(2).plusHours(2));
        assertThat(new EventLogSearch(files).find(query(Optional.empty()))).isEmpty();

        events.publish(bounced("new", "alice@example.net"));

        assertThat(files(var.resolve("events"))).extracting(path -> path.getFileName().toString())
            .containsExactly("events-2026-11-04.0.jsonl");
    }

    @Test
    void logShouldKeepAFileWhileItsDayEndsWithinTheRetention() throws Exception {
        EventLogFiles files = start(new EventLogSettings(true, Duration.ofDays(2), 1 << 20));
        events.publish(bounced("kept", "alice@example.net"));
        log.close();
        clock.advance(Duration.ofDays(2));

        assertThat(new EventLogSearch(files).find(query(Optional.empty()))).extracting(MessageEvent::queueId).containsExactly("kept");
    }

    @Test
    void disabledLogShouldWriteNothing() throws Exception {
        start(new EventLogSettings(false, Duration.ofDays(7), 1 << 20));
        events.publish(bounced("m1", "alice@example.net"));
        log.close();

        assertThat(events.observed()).isFalse();
        assertThat(var.resolve("events")).doesNotExist();
    }

    /** Publishing and logging 100,000 events: prints the cost per event; every event must be in the file. */
    @Test
    void logShouldKeepUpWithAHundredThousandEvents() throws Exception {
        EventLogFiles files = start(new EventLogSettings(true, Duration.ofDays(7), 1L << 30));
        int count = 100_000;
        List<MessageEvent> prepared = IntStream.range(0, count).mapToObj(index -> bounced("m" + index, "alice@example.net")).toList();
        long started = System.nanoTime();
        prepared.forEach(events::publish);
        long published = System.nanoTime();
        log.close();
        long written = System.nanoTime();

        System.out.printf("event log: publish %.2f us/event on the mail thread, publish+write %.2f us/event%n",
            (published - started) / 1000.0 / count, (written - started) / 1000.0 / count);
        assertThat(files.kept()).hasSize(1);
        try (Stream<String> lines = Files.lines(files.kept().get(0).path())) {
            assertThat(lines.count()).isEqualTo(count);
        }
    }

    private EventLogFiles start(EventLogSettings settings) throws Exception {
        EventLogFiles files = new EventLogFiles(var.resolve("events"), settings, clock);
        log = new EventLog(files);
        log.start(events);
        return files;
    }

    private MessageEvent bounced(String queueId, String recipient) {
        return MessageEvent.of(clock.instant(), EventType.BOUNCED, queueId + "@example.com", queueId, recipient, "5.1.1",
            Map.of("reply", "550 5.1.1 no such user", "relay", "mx.example.net[192.0.2.1]:25"));
    }

    private static EventQuery query(Optional<String> messageId) {
        return new EventQuery(messageId, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), 0, 1000);
    }

    private static List<Path> files(Path folder) throws Exception {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.sorted().toList();
        }
    }
}
