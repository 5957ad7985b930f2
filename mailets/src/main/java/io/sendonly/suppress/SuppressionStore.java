package io.sendonly.suppress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.config.TableFile;

/**
 * The suppression list, in memory for the mail threads' lookups and in one file ({@code var/suppressions/list},
 * 0600 in a 0700 folder): a journal to which each change appends one line, synced before the change is answered, so
 * that a change costs the same with ten entries or a hundred thousand. Opening replays it and compacts it (the
 * entries in force, rewritten at once by {@link TableFile#write}); a crash can cut only the last line, which is then
 * skipped. Expired entries are never answered, and dropped at the next start. Changes are serialised; lookups only
 * wait for a change in progress.
 * <p>Several nodes may share the folder (docs/scale-out.md): every change and the compaction hold a POSIX record lock
 * on {@code list.lock} beside the journal, and start by replaying the lines other nodes appended since this node last
 * read (the whole journal again when one of them compacted it), as every lookup does first; a line cut by another
 * node's crash is dropped before the next append. One store per process: the lock belongs to the process.
 */
public final class SuppressionStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(SuppressionStore.class);
    /** Starts a removal line: {@code -}, address, sender domain or {@code *}. */
    private static final String REMOVED = "-";

    private static final int READ_ATTEMPTS = 3;

    private final Path file;
    private final Path lock;
    private final Clock clock;
    private final Map<Suppression.Key, Suppression> entries = new HashMap<>();
    /** The journal replayed ({@link BasicFileAttributes#fileKey()}: a compaction renames a new one in place). */
    private Object replayed;
    /** How many of its bytes: complete lines only. */
    private long position;

    /** A change made under the lock, which answers whether it wrote. */
    @FunctionalInterface
    private interface Change {
        boolean apply() throws IOException;
    }

    private SuppressionStore(Path file, Clock clock) {
        this.file = file;
        this.lock = file.resolveSibling(file.getFileName() + ".lock");
        this.clock = clock;
    }

    /**
     * @throws IllegalArgumentException naming file and line when a line does not read, but a last line without its
     *     end, which a crash during an append leaves
     */
    public static SuppressionStore open(Path file, Clock clock) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        SuppressionStore store = new SuppressionStore(file, clock);
        store.locked(store::compact);
        return store;
    }

    private boolean compact() throws IOException {
        String journal = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        boolean cut = !journal.isEmpty() && !journal.endsWith("\n");
        List<String> lines = journal.lines().toList();
        Instant now = clock.instant();
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1);
            if (line.isBlank()) {
                continue;
            }
            try {
                replay(line, now);
            } catch (IllegalArgumentException e) {
                if (cut && number == lines.size()) {
                    LOGGER.warn("{}:{}: skipped a cut last line ({})", file, number, e.getMessage());
                    continue;
                }
                throw new IllegalArgumentException(file + ":" + number + ": " + e.getMessage(), e);
            }
        }
        List<String> compacted = new ArrayList<>(entries.size());
        entries.values().stream().map(Suppression::line).sorted().forEach(compacted::add);
        TableFile.write(file, compacted);
        BasicFileAttributes written = Files.readAttributes(file, BasicFileAttributes.class);
        replayed = written.fileKey();
        position = written.size();
        return true;
    }

    /**
     * Replays what other nodes appended since the last look, or the whole journal when one of them compacted it. A line
     * that does not read is logged and skipped here: the compaction at the next start names it.
     */
    private void catchUp() throws IOException {
        for (int attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
            BasicFileAttributes before = Files.readAttributes(file, BasicFileAttributes.class);
            if (Objects.equals(before.fileKey(), replayed) && before.size() == position) {
                return;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                // The channel is the journal stat-ed only if no compaction renamed another in place meanwhile.
                if (!Objects.equals(Files.readAttributes(file, BasicFileAttributes.class).fileKey(), before.fileKey())) {
                    continue;
                }
                if (!Objects.equals(before.fileKey(), replayed) || channel.size() < position) {
                    entries.clear();
                    replayed = before.fileKey();
                    position = 0;
                }
                replayTail(channel);
                return;
            }
        }
        throw new IOException(file + " was replaced " + READ_ATTEMPTS + " times while being read");
    }

    private void replayTail(FileChannel channel) throws IOException {
        ByteBuffer tail = ByteBuffer.allocate(Math.toIntExact(channel.size() - position));
        while (tail.hasRemaining() && channel.read(tail, position + tail.position()) >= 0) {
            // read on: a FileChannel may answer a part
        }
        byte[] bytes = tail.array();
        int complete = bytes.length;
        while (complete > 0 && bytes[complete - 1] != '\n') {
            complete--;
        }
        Instant now = clock.instant();
        for (String line : new String(bytes, 0, complete, StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                replay(line, now);
            } catch (IllegalArgumentException e) {
                LOGGER.error("{}: skipped a line another node wrote ({})", file, e.getMessage());
            }
        }
        position += complete;
    }

    /** The lookups' catch-up: a journal that cannot be read keeps the entries in force. */
    private void catchUpOrKeep() {
        try {
            catchUp();
        } catch (IOException e) {
            LOGGER.error("cannot read the suppression list {} ({}); the entries in force stay", file, e.toString());
        }
    }

    /** Runs a change under the lock, after the catch-up and with a line cut by another node's crash dropped. */
    private boolean change(Change change) {
        try {
            return locked(() -> {
                catchUp();
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    if (channel.size() > position) {
                        channel.truncate(position);
                    }
                }
                return change.apply();
            });
        } catch (IOException e) {
            LOGGER.error("cannot write to the suppression list {}", file, e);
            throw new UncheckedIOException(e);
        }
    }

    private boolean locked(Change change) throws IOException {
        try (FileChannel channel = FileChannel.open(lock, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
             FileLock held = channel.lock()) {
            return change.apply();
        }
    }

    private void replay(String line, Instant now) {
        if (line.startsWith(REMOVED + "\t")) {
            String[] fields = line.split("\t", -1);
            if (fields.length != 3) {
                throw new IllegalArgumentException("expected -, address and sender domain, got " + fields.length + " fields");
            }
            entries.remove(new Suppression.Key(fields[1], fields[2].equals(Suppression.ANY_SENDER) ? Optional.empty() : Optional.of(fields[2])));
            return;
        }
        Suppression entry = Suppression.parse(line);
        if (entry.expired(now)) {
            entries.remove(entry.key());
        } else {
            entries.put(entry.key(), entry);
        }
    }

    /**
     * The entry that stops mail from {@code senderDomain} to {@code address}: one for that sender domain, else one for
     * every sender.
     */
    public synchronized Optional<Suppression> find(String address, Optional<String> senderDomain) {
        catchUpOrKeep();
        String lowercased = address.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        return senderDomain.map(domain -> entries.get(new Suppression.Key(lowercased, Optional.of(domain.toLowerCase(Locale.ROOT)))))
            .or(() -> Optional.ofNullable(entries.get(new Suppression.Key(lowercased, Optional.empty()))))
            .filter(entry -> !entry.expired(now));
    }

    /** Lists the entry, replacing one for the same address and sender domain. */
    public synchronized void add(Suppression entry) {
        change(() -> {
            entries.put(entry.key(), entry);
            append(entry.line());
            return true;
        });
    }

    /** @return whether there was such an entry (expired or not) */
    public synchronized boolean remove(String address, Optional<String> senderDomain) {
        Suppression.Key key = new Suppression.Key(address.toLowerCase(Locale.ROOT), senderDomain.map(domain -> domain.toLowerCase(Locale.ROOT)));
        return change(() -> {
            if (entries.remove(key) == null) {
                return false;
            }
            append(String.join("\t", REMOVED, key.address(), key.senderDomain().orElse(Suppression.ANY_SENDER)));
            return true;
        });
    }

    /** The entries in force whose address contains {@code search}, by address then sender domain. */
    public synchronized List<Suppression> search(String search, int offset, int limit) {
        catchUpOrKeep();
        String lowercased = search.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        return entries.values().stream()
            .filter(entry -> !entry.expired(now) && entry.address().contains(lowercased))
            .sorted(Comparator.comparing(Suppression::address).thenComparing(entry -> entry.senderDomain().orElse("")))
            .skip(offset).limit(limit).toList();
    }

    /** The entries in force for the address, every sender domain. */
    public synchronized List<Suppression> of(String address) {
        String lowercased = address.toLowerCase(Locale.ROOT);
        return search(lowercased, 0, Integer.MAX_VALUE).stream().filter(entry -> entry.address().equals(lowercased)).toList();
    }

    /** Appends one change and syncs it; the caller holds the lock and has caught up. */
    private void append(String line) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buffer = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
            position = channel.size();
        }
    }
}
