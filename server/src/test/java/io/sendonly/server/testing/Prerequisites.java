package io.sendonly.server.testing;

import io.sendonly.dkim.DebianTools;

/** Tests that need root or Debian tools: with -Pdebian-tools (as .ci/run builds) a missing one fails, without it the test skips. */
public final class Prerequisites {
    private Prerequisites() {
    }

    public static void require(boolean condition, String message) {
        DebianTools.require(condition, message);
    }

    public static boolean isRoot() {
        return DebianTools.isRoot();
    }
}
