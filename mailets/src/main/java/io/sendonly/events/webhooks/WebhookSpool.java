package io.sendonly.events.webhooks;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One webhook's events on disk, oldest first, until its receiver acknowledges them: JSON lines appended to numbered
 * segment files ({@code 00000000000000000001.jsonl}, a new one at each start and past {@link #SEGMENT_SIZE}), and
 * the position acknowledged so far in {@code acked} (written per batch: {@link #persistAcknowledged}). A line is
 * offered for sending only once it is fsynced; a line cut short by a crash (no newline) is skipped. Files are 0600
 * in a 0700 folder. {@link #append} is for one writer thread, the other methods for one sender thread.
 */
public final class WebhookSpool implements Closeable {
    static final long SEGMENT_SIZE = 1 << 20;
    static final String ACKED = "acked";
    private static final String SUFFIX = ".jsonl";
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FILE =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE_FOLDER =
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    /** A line to send, and where the spool resumes once it is acknowledged. */
    public record Entry(long segment, long end, String json) {
    }

    private final Path directory;
    private long writingSegment;
    private FileChannel writing;
    private long committed;
    private long ackedSegment;
    private long ackedOffset;
    private long persistedSegment;
    private long persistedOffset;

    private WebhookSpool(Path directory, long lastSegment, long ackedSegment, long ackedOffset) {
        this.directory = directory;
        this.writingSegment = lastSegment;
        this.ackedSegment = ackedSegment;
        this.ackedOffset = ackedOffset;
        this.persistedSegment = ackedSegment;
        this.persistedOffset = ackedOffset;
    }

    /** Opens or creates the spool in {@code directory}; what an earlier run left there is sent first. */
    public static WebhookSpool open(Path directory) throws IOException {
        if (!Files.isDirectory(directory, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(directory.getParent(), PRIVATE_FOLDER);
            Files.createDirectory(directory, PRIVATE_FOLDER);
        }
        long[] acked = readAcked(directory.resolve(ACKED));
        // Past the acknowledged segment too: its file may be gone, and a new file of that number would be read from
        // the old offset.
        long lastSegment = Math.max(acked[0], segments(directory).stream().mapToLong(Long::longValue).max().orElse(0));
        return new WebhookSpool(directory, lastSegment, acked[0], acked[1]);
    }

    /**
     * Writes and fsyncs the lines, in order. On failure none of them counts as written; the next call writes to a
     * new segment, so that no line follows the failed write's torn bytes.
     */
    public synchronized void append(List<String> lines) throws IOException {
        if (writing == null || committed >= SEGMENT_SIZE) {
            roll();
        }
        StringBuilder text = new StringBuilder();
        lines.forEach(line -> text.append(line).append('\n'));
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                writing.write(bytes);
            }
            writing.force(false);
            committed = writing.position();
        } catch (IOException e) {
            abandonSegment();
            throw e;
        }
    }

    /** Up to {@code max} lines after the acknowledged position, oldest first; segments read to their end are deleted. */
    public synchronized List<Entry> pending(int max) throws IOException {
        List<Entry> entries = new ArrayList<>();
        for (long segment : segments(directory)) {
            if (segment < ackedSegment || entries.size() >= max) {
                continue;
            }
            long start = segment == ackedSegment ? ackedOffset : 0;
            boolean open = segment == writingSegment && writing != null;
            int before = entries.size();
            readLines(segment, start, open ? committed : Long.MAX_VALUE, max, entries);
            if (!open && entries.size() == before) {
                Files.deleteIfExists(segmentFile(segment));
            }
        }
        return entries;
    }

    /** Records, in memory, that the receiver has {@code entry} and everything before it. */
    public synchronized void acknowledge(Entry entry) {
        ackedSegment = entry.segment();
        ackedOffset = entry.end();
    }

    /**
     * Writes the acknowledged position to disk and deletes the segments before it. Until then a crash sends the
     * acknowledged events again: at least once, for one file write per batch rather than per event.
     */
    public synchronized void persistAcknowledged() throws IOException {
        if (ackedSegment == persistedSegment && ackedOffset == persistedOffset) {
            return;
        }
        Path temporary = directory.resolve(ACKED + ".tmp");
        Files.deleteIfExists(temporary);
        Files.writeString(Files.createFile(temporary, PRIVATE_FILE), ackedSegment + " " + ackedOffset + "\n");
        Files.move(temporary, directory.resolve(ACKED), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        persistedSegment = ackedSegment;
        persistedOffset = ackedOffset;
        for (long segment : segments(directory)) {
            if (segment < ackedSegment) {
                Files.deleteIfExists(segmentFile(segment));
            }
        }
    }

    /** Stops writing and persists the acknowledged position. */
    @Override
    public synchronized void close() throws IOException {
        closeSegment();
        persistAcknowledged();
    }

    private void closeSegment() throws IOException {
        if (writing != null) {
            writing.close();
            writing = null;
        }
    }

    private void roll() throws IOException {
        closeSegment();
        writingSegment++;
        committed = 0;
        writing = FileChannel.open(segmentFile(writingSegment), Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), PRIVATE_FILE);
    }

    /** Cuts a failed write's bytes where possible and leaves the segment, so the retry does not follow torn bytes. */
    private void abandonSegment() {
        try (FileChannel failed = writing) {
            failed.truncate(committed);
        } catch (IOException e) {
            // The torn tail has no newline or repeats lines that the retry writes again: either is safe to read.
        }
        writing = null;
    }

    private void readLines(long segment, long start, long limit, int max, List<Entry> entries) throws IOException {
        byte[] content;
        try (FileChannel channel = FileChannel.open(segmentFile(segment), StandardOpenOption.READ)) {
            long end = Math.min(limit, channel.size());
            if (end <= start) {
                return;
            }
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(end - start));
            int read = 0;
            while (buffer.hasRemaining() && read >= 0) {
                read = channel.read(buffer, start + buffer.position());
            }
            content = buffer.array();
        } catch (NoSuchFileException e) {
            return;
        }
        int lineStart = 0;
        for (int index = 0; index < content.length && entries.size() < max; index++) {
            if (content[index] == '\n') {
                entries.add(new Entry(segment, start + index + 1, new String(content, lineStart, index - lineStart, StandardCharsets.UTF_8)));
                lineStart = index + 1;
            }
        }
    }

    private Path segmentFile(long segment) {
        return directory.resolve(String.format("%020d%s", segment, SUFFIX));
    }

    private static List<Long> segments(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString())
                .filter(name -> name.matches("[0-9]{20}\\" + SUFFIX))
                .map(name -> Long.parseLong(name.substring(0, 20)))
                .sorted()
                .toList();
        }
    }

    /** {segment, offset}; nothing acknowledged when the file is absent or unreadable (sending again is safe). */
    private static long[] readAcked(Path file) throws IOException {
        if (!Files.exists(file)) {
            return new long[] {0, 0};
        }
        String[] fields = Files.readString(file).strip().split(" ");
        try {
            return new long[] {Long.parseLong(fields[0]), Long.parseLong(fields[1])};
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return new long[] {0, 0};
        }
    }
}
