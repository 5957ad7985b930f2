package io.sendonly.server.pickup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The maildrop folder's ownership and mode, checked at start (Postfix's maildrop: 1730, owner postfix, group
 * postdrop). Made when missing as 1730: the server reads and deletes; the group (by default the server's own,
 * {@code chgrp sendonly-drop} to let other users submit while the server is down) may only add files, neither list
 * nor read them, nor remove another's (sticky); others have no access. Refused: a link, not owned by the server, any
 * access for others, group read, or group write without the sticky bit.
 */
final class MaildropFolder {
    static final int MODE = 01730;
    private static final int STICKY = 01000;
    private static final int GROUP_READ = 0040;
    private static final int GROUP_WRITE = 0020;
    private static final int OTHERS = 0007;

    private MaildropFolder() {
    }

    static void prepare(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(folder);
            Files.setAttribute(folder, "unix:mode", MODE, LinkOption.NOFOLLOW_LINKS);
            return;
        }
        if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException(folder + " is not a folder (a link or a file): remove it, the server makes the maildrop");
        }
        int owner = (Integer) Files.getAttribute(folder, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        if (owner != self) {
            throw new IllegalStateException(folder + " is owned by uid " + owner + ", not by this server (uid " + self + "): chown it");
        }
        int mode = (Integer) Files.getAttribute(folder, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
        boolean groupWritableWithoutSticky = (mode & GROUP_WRITE) != 0 && (mode & STICKY) == 0;
        if ((mode & OTHERS) != 0 || (mode & GROUP_READ) != 0 || groupWritableWithoutSticky) {
            throw new IllegalStateException(folder + " has mode " + Integer.toOctalString(mode) + ": other users could read or remove "
                + "mail dropped there; chmod " + Integer.toOctalString(MODE) + " " + folder);
        }
    }
}
