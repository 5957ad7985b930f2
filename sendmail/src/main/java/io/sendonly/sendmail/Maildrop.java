package io.sendonly.sendmail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;

/**
 * Spools a message the server could not take now, for the server's pickup (Postfix postdrop): one
 * {@link MaildropRecord} per file, written under a temporary name, synced, then renamed. The folder is the
 * server's (it makes it at start, mode 1730): it is never created here. Files are left readable by all (0444),
 * as Postfix's are, so that the server can read what another user dropped; the folder's mode keeps everyone else
 * from finding them.
 */
final class Maildrop {
    static final String SUFFIX = ".mail";

    private Maildrop() {
    }

    static Path write(Path directory, String sender, List<String> recipients, byte[] message) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new IOException("no such folder (the server makes it at its first start)");
        }
        String name = System.currentTimeMillis() + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
        Path temp = directory.resolve("." + name + ".tmp");
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            // The uid the pickup will see as the file's owner.
            int uid = (Integer) Files.getAttribute(temp, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            channel.write(ByteBuffer.wrap(new MaildropRecord(uid, sender, recipients, message).bytes()));
            channel.force(true);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("r--r--r--"));
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        return Files.move(temp, directory.resolve(name + SUFFIX), StandardCopyOption.ATOMIC_MOVE);
    }
}
