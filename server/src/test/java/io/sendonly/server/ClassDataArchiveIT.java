package io.sendonly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.Distribution;

/**
 * The class-data archive the build makes (lib/sendonly.jsa): bin/james-sendonly has the JVM map it in a copy of the
 * distribution folder, and an archive that does not fit never keeps the server from starting.
 */
class ClassDataArchiveIT {
    private static final String ARCHIVE = "lib/sendonly.jsa";
    /** Read after the launcher's options: a CDS archive that cannot be mapped stops the JVM instead of being ignored. */
    private static final Map<String, String> ARCHIVE_REQUIRED = Map.of("_JAVA_OPTIONS", "-Xshare:on");
    private static final String IGNORED = "Unable to use shared archive";

    @RegisterExtension
    final Closer closer = new Closer();

    @TempDir
    Path directory;

    private Distribution distribution;

    @BeforeEach
    void copy() throws IOException {
        assumeTrue(Files.exists(Distribution.built().resolve(ARCHIVE)), "built with -Dsendonly.cds.skip=true: no archive");
        distribution = closer.register(Distribution.copyTo(directory.resolve("james-sendonly")));
    }

    @Test
    void startShouldMapTheArchiveInACopyOfTheFolder() throws Exception {
        distribution.start("bin/james-sendonly", ARCHIVE_REQUIRED);

        assertThat(distribution.log()).doesNotContain(IGNORED);
    }

    @Test
    void startShouldIgnoreTheArchiveWhenAJarChanged() throws Exception {
        Path jar;
        try (Stream<Path> files = Files.list(distribution.home().resolve("lib"))) {
            jar = files.filter(file -> file.toString().endsWith(".jar")).sorted().findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(jar, FileTime.from(Files.getLastModifiedTime(jar).toInstant().plus(Duration.ofDays(1))));

        distribution.start();

        assertThat(distribution.log()).contains(IGNORED);
    }

    @Test
    void startShouldNotGiveTheJvmATruncatedArchive() throws Exception {
        Path archive = distribution.home().resolve(ARCHIVE);
        try (RandomAccessFile file = new RandomAccessFile(archive.toFile(), "rw")) {
            file.setLength(file.length() / 2);
        }

        distribution.start();

        assertThat(distribution.log()).doesNotContain("SIGBUS");
    }
}
