package io.sendonly.dkim;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

/**
 * Whether this build promises the Debian tools (and root) some tests need: the {@code debian-tools} Maven profile,
 * which {@code .ci/run} turns on after installing them, sets {@value #PROPERTY}. Promised, a missing tool fails the
 * test; not promised (the README's plain {@code mvn -B verify} on a fresh machine), the test is skipped.
 */
public final class DebianTools {
    public static final String PROPERTY = "sendonly.debianTools";

    private DebianTools() {
    }

    public static boolean promised() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** Fails the test when the tools are promised, else skips it, unless {@code condition} holds. */
    public static void require(boolean condition, String message) {
        if (condition) {
            return;
        }
        if (promised()) {
            fail(message + " (required with -Pdebian-tools: .ci/run installs the tools and runs as root)");
        }
        assumeTrue(false, message + " (skipped without -Pdebian-tools)");
    }

    /** Whether this JVM runs as root, as binding ports 25, 53 and 443 needs. */
    public static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Paths.get("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
