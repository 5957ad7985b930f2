package io.sendonly.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.sendonly.server.testing.Distribution;

/**
 * lib/ holds what the server loads, not everything James modules drag in: a James module or dependency added
 * without its unused clients (exclusions in server/pom.xml) makes this fail instead of growing lib/ silently.
 */
class LibFolderIT {
    private static final int MAX_JARS = 150;

    @Test
    void libShouldHoldAtMost150Jars() throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.list(Distribution.built().resolve("lib"))) {
            jars = files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(".jar")).sorted().toList();
        }

        assertThat(jars.size())
            .as("lib/ holds %d jars, more than %d (exclude what nothing loads, see server/pom.xml): %s", jars.size(), MAX_JARS, jars)
            .isLessThanOrEqualTo(MAX_JARS);
    }
}
