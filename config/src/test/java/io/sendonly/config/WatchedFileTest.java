package io.sendonly.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchedFileTest {
    @TempDir
    Path directory;
    private Path file;
    private final AtomicInteger loads = new AtomicInteger();

    @BeforeEach
    void writeFirstVersion() throws IOException {
        file = directory.resolve("table");
        TableFile.write(file, List.of("1"));
    }

    /** The file's one line as a number; anything else does not load. */
    private int parse() throws IOException {
        loads.incrementAndGet();
        return Integer.parseInt(Files.readString(file).trim());
    }

    private WatchedFile<Integer> watch() throws IOException {
        return WatchedFile.load("test table", List.of(file), this::parse);
    }

    @Test
    void getShouldGiveTheValueLoadedAtStartWhileTheFileIsUnchanged() throws Exception {
        WatchedFile<Integer> watched = watch();

        assertThat(watched.get()).isEqualTo(1);
        assertThat(watched.get()).isEqualTo(1);
        assertThat(loads).hasValue(1);
    }

    @Test
    void loadShouldFailWhenTheFileDoesNotLoadAtStart() throws Exception {
        TableFile.write(file, List.of("not a number"));

        assertThatThrownBy(this::watch).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void getShouldLoadAgainWhenTheFileChanged() throws Exception {
        WatchedFile<Integer> watched = watch();

        TableFile.write(file, List.of("2"));

        assertThat(watched.get()).isEqualTo(2);
        assertThat(watched.get()).isEqualTo(2);
        assertThat(loads).hasValue(2);
    }

    @Test
    void getShouldKeepTheLastGoodValueWhenAChangeDoesNotLoad() throws Exception {
        WatchedFile<Integer> watched = watch();

        TableFile.write(file, List.of("not a number"));

        assertThat(watched.get()).isEqualTo(1);
        assertThat(watched.get()).isEqualTo(1);
        assertThat(loads).as("a bad version is tried once").hasValue(2);
    }

    @Test
    void getShouldLoadTheNextGoodChangeAfterABadOne() throws Exception {
        WatchedFile<Integer> watched = watch();
        TableFile.write(file, List.of("not a number"));
        watched.get();

        TableFile.write(file, List.of("3"));

        assertThat(watched.get()).isEqualTo(3);
    }

    @Test
    void getShouldKeepTheLastGoodValueWhenTheFileIsDeletedAndLoadItWhenItComesBack() throws Exception {
        WatchedFile<Integer> watched = watch();

        Files.delete(file);
        assertThat(watched.get()).isEqualTo(1);

        TableFile.write(file, List.of("4"));
        assertThat(watched.get()).isEqualTo(4);
    }

    @Test
    void getShouldLoadAgainWhenAnyOfSeveralFilesChanged() throws Exception {
        Path other = directory.resolve("other");
        TableFile.write(other, List.of("10"));
        WatchedFile<Integer> watched = WatchedFile.load("two tables", List.of(file, other),
            () -> Integer.parseInt(Files.readString(file).trim()) + Integer.parseInt(Files.readString(other).trim()));

        TableFile.write(other, List.of("20"));

        assertThat(watched.get()).isEqualTo(21);
    }
}
