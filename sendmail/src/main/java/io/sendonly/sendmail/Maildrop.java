package io.sendonly.sendmail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;

/**
 * Spools a message the server could not take now, for the server's pickup (Postfix maildrop): one file per message,
 * written to a temporary name, synced, then renamed, mode 0600. Format: {@code Sender: <s>} and
 * {@code Recipient: <r>} lines, an empty line, then the message bytes.
 */
final class Maildrop {
    static final String SUFFIX = ".mail";

    private Maildrop() {
    }

    static Path write(Path directory, String sender, List<String> recipients, byte[] message) throws IOException {
        Files.createDirectories(directory);
        ByteArrayOutputStream content = new ByteArrayOutputStream(message.length + 256);
        content.writeBytes(("Sender: <" + sender + ">\n").getBytes(StandardCharsets.UTF_8));
        for (String recipient : recipients) {
            content.writeBytes(("Recipient: <" + recipient + ">\n").getBytes(StandardCharsets.UTF_8));
        }
        content.write('\n');
        content.writeBytes(message);
        String name = System.currentTimeMillis() + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();
        Path temp = Files.createFile(directory.resolve("." + name + ".tmp"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (var channel = java.nio.channels.FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(content.toByteArray()));
            channel.force(true);
        }
        return Files.move(temp, directory.resolve(name + SUFFIX), StandardCopyOption.ATOMIC_MOVE);
    }
}
