package io.sendonly.server.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Paths;

import io.sendonly.dkim.DebianTools;

/** Tests that need root or Debian tools: with -Pdebian-tools (as .ci/run builds) a missing one fails, without it the test skips. */
public final class Prerequisites {
    private Prerequisites() {
    }

    public static void require(boolean condition, String message) {
        DebianTools.require(condition, message);
    }

    public static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Paths.get("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }
}
