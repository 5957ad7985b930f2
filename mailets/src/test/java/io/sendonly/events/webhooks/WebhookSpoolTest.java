package io.sendonly.events.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WebhookSpoolTest {
    @TempDir
    Path temporary;

    private Path directory() {
        return temporary.resolve("webhooks").resolve("crm");
    }

    @Test
    void pendingShouldGiveAppendedLinesInOrder() throws IOException {
        try (WebhookSpool spool = WebhookSpool.open(directory())) {
            spool.append(List.of("{\"id\":\"1\"}", "{\"id\":\"2\"}"));
            spool.append(List.of("{\"id\":\"3\"}"));

            assertThat(jsons(spool.pending(10))).containsExactly("{\"id\":\"1\"}", "{\"id\":\"2\"}", "{\"id\":\"3\"}");
            assertThat(jsons(spool.pending(2))).containsExactly("{\"id\":\"1\"}", "{\"id\":\"2\"}");
        }
    }

    @Test
    void acknowledgeShouldRemoveTheLineAndThoseBefore() throws IOException {
        try (WebhookSpool spool = WebhookSpool.open(directory())) {
            spool.append(List.of("a", "b", "c"));
            spool.acknowledge(spool.pending(10).get(1));

            assertThat(jsons(spool.pending(10))).containsExactly("c");
        }
    }

    @Test
    void openShouldGiveWhatAnEarlierRunLeftUnacknowledged() throws IOException {
        try (WebhookSpool spool = WebhookSpool.open(directory())) {
            spool.append(List.of("a", "b"));
            spool.acknowledge(spool.pending(10).get(0));
        }
        try (WebhookSpool spool = WebhookSpool.open(directory())) {
            spool.append(List.of("c"));

            assertThat(jsons(spool.pending(10))).containsExactly("b", "c");
        }
    }

    @Test
    void openShouldGiveAgainWhatWasAcknowledgedButNotPersistedBeforeACrash() throws IOException {
        WebhookSpool crashed = WebhookSpool.open(directory());
        crashed.append(List.of("a", "b", "c"));
        crashed.acknowledge(crashed.pending(10).get(0));
        crashed.persistAcknowledged();
        crashed.acknowledge(crashed.pending(10).get(0));

        try (WebhookSpool spool = WebhookSpool.open(directory())) {
            assertThat(jsons(spool.pending(10))).containsExactly("b", "c");
        }
    }

    @Test
    void openShouldGiveNewLinesAfterEverySegmentWasAcknowledgedAndDeleted() throws IOException {
        for (String line : List.of("first", "second", "third")) {
            try (WebhookSpool spool = WebhookSpool.open(directory())) {
                spool.append(List.of(line));

                assertThat(jsons(spool.pending(10))).containsExactly(line);
                spool.acknowledge(spool.pending(10).get(0));
            }
            try (WebhookSpool spool = WebhookSpool.open(directory())) {
                assertThat(spool.pending(10)).isEmpty();
            }
        }
    }

    @Test
    void pendingShouldSkipALastLineTornByACrash() throws IOException {
        try (WebhookSpool spool = WebhookSpool.open(directory())) {
            spool.append(List.of("a", "b"));
        }
        Path segment = segments().get(0);
        Files.writeString(segment, "{\"id\":\"to", StandardOpenOption.APPEND);

        try (WebhookSpool spool = WebhookSpool.open(directory())) {
            spool.append(List.of("c"));

            assertThat(jsons(spool.pending(10))).containsExactly("a", "b", "c");
        }
    }

    @Test
    void acknowledgeShouldDeleteSegmentsReadToTheirEnd() throws IOException {
        try (WebhookSpool spool = WebhookSpool.open(directory())) {
            spool.append(List.of("a"));
        }
        try (WebhookSpool spool = WebhookSpool.open(directory())) {
            spool.append(List.of("b"));
            assertThat(segments()).hasSize(2);

            spool.acknowledge(spool.pending(10).get(1));
            spool.persistAcknowledged();

            assertThat(segments()).hasSize(1);
            assertThat(spool.pending(10)).isEmpty();
        }
    }

    @Test
    void appendShouldStartANewSegmentPastTheSegmentSize() throws IOException {
        String line = "x".repeat(1000);
        int lines = (int) (WebhookSpool.SEGMENT_SIZE / line.length()) + 200;
        try (WebhookSpool spool = WebhookSpool.open(directory())) {
            for (int index = 0; index < lines; index += 100) {
                spool.append(Collections.nCopies(Math.min(100, lines - index), line));
            }

            assertThat(segments()).hasSize(2);
            assertThat(spool.pending(Integer.MAX_VALUE)).hasSize(lines);
        }
    }

    @Test
    void openShouldKeepEventsPrivateToTheServer() throws IOException {
        try (WebhookSpool spool = WebhookSpool.open(directory())) {
            spool.append(List.of("a"));
            spool.acknowledge(spool.pending(1).get(0));
            spool.persistAcknowledged();
            spool.append(List.of("b"));
        }

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory().getParent()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory()))).isEqualTo("rwx------");
        try (Stream<Path> files = Files.list(directory())) {
            assertThat(files.toList()).isNotEmpty().allSatisfy(file ->
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------"));
        }
    }

    @Test
    void pendingShouldReadNonAsciiLinesWhole() throws IOException {
        List<String> lines = IntStream.range(0, 3).mapToObj(index -> "{\"reply\":\"bo\u00eete pleine " + index + "\"}").toList();
        try (WebhookSpool spool = WebhookSpool.open(directory())) {
            spool.append(lines);

            assertThat(jsons(spool.pending(10))).isEqualTo(lines);
            assertThat(spool.pending(10).get(2).end()).isEqualTo(Files.readAllBytes(segments().get(0)).length);
            assertThat(new String(Files.readAllBytes(segments().get(0)), StandardCharsets.UTF_8)).endsWith("2\"}\n");
        }
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(directory())) {
            return files.filter(file -> file.toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    private static List<String> jsons(List<WebhookSpool.Entry> entries) {
        return entries.stream().map(WebhookSpool.Entry::json).toList();
    }
}
