package io.sendonly.server.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/** Tests that need root or Debian tools: in CI (variable CI set, as .ci/run does) a missing one fails, elsewhere it skips. */
public final class Prerequisites {
    private Prerequisites() {
    }

    public static void require(boolean condition, String message) {
        if (condition) {
            return;
        }
        if (System.getenv("CI") != null) {
            fail(message);
        }
        assumeTrue(false, message);
    }

    public static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Paths.get("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
