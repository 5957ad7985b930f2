package io.sendonly.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TableFileTest {
    @TempDir
    Path directory;

    @Test
    void writeShouldReplaceTheFileWithMode0600AndLeaveNoTemporaryFile() throws Exception {
        Path file = directory.resolve("routes");
        Files.writeString(file, "old\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        TableFile.write(file, List.of("# c", "default direct"));

        assertThat(Files.readString(file)).isEqualTo("# c\ndefault direct\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(directory)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void readShouldGiveNoLinesForAMissingFile() throws Exception {
        assertThat(TableFile.read(directory.resolve("missing"))).isEmpty();
    }
}
