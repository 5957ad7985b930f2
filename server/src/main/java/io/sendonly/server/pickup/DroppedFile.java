package io.sendonly.server.pickup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

import io.sendonly.sendmail.MaildropRecord;

/**
 * One file of the maildrop, read without trusting it: it must be a regular file with one link (not a symlink,
 * FIFO or device, nor a hard link to someone else's file), opened without following links, at most
 * {@link #MAX_SIZE} octets, a valid {@link MaildropRecord} whose uid is the file's owner. The owner, which the
 * kernel vouches for, is the submitter. The file must already be out of other users' reach (the pickup moves it
 * to its private folder first), so that it cannot be swapped between these checks and the read.
 *
 * @param owner  the uid that owns the file: who submitted it
 * @param record what it holds
 */
record DroppedFile(int owner, MaildropRecord record) {
    /** Why a file cannot be picked up; never quotes its content. */
    static final class Unusable extends Exception {
        Unusable(String reason) {
            super(reason);
        }
    }

    /** Above the SMTP server's 50 MB limit, far below the heap. */
    static final long MAX_SIZE = 64L * 1024 * 1024;
    private static final Set<OpenOption> READ_NO_LINKS = Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);

    static DroppedFile read(Path file) throws Unusable, IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new Unusable("not a regular file (" + (attributes.isSymbolicLink() ? "a symbolic link" : attributes.isDirectory() ? "a folder" : "a device or FIFO") + ")");
        }
        int links = (Integer) Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        if (links != 1) {
            throw new Unusable(links + " hard links");
        }
        if (attributes.size() > MAX_SIZE) {
            throw new Unusable(attributes.size() + " octets, more than " + MAX_SIZE);
        }
        int owner = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        byte[] content;
        try (InputStream in = Channels.newInputStream(Files.newByteChannel(file, READ_NO_LINKS))) {
            content = in.readNBytes((int) MAX_SIZE + 1);
        } catch (AccessDeniedException e) {
            // Its owner took the read permission away: retrying would not help.
            throw new Unusable("not readable by the server");
        }
        if (content.length > MAX_SIZE) {
            throw new Unusable("more than " + MAX_SIZE + " octets");
        }
        MaildropRecord record;
        try {
            record = MaildropRecord.parse(content);
        } catch (MaildropRecord.Malformed e) {
            throw new Unusable(e.getMessage());
        }
        if (record.uid() != owner) {
            throw new Unusable("written by uid " + record.uid() + " but owned by uid " + owner);
        }
        return new DroppedFile(owner, record);
    }
}
