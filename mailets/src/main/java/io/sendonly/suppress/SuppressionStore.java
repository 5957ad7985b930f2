package io.sendonly.suppress;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.config.TableFile;

/**
 * The suppression list, in memory for the mail threads' lookups and in one file ({@code var/suppressions/list},
 * 0600 in a 0700 folder) that every change rewrites at once ({@link TableFile#write}), so a crash leaves the old
 * list or the new one. Expired entries are never answered, and are dropped from the file on load and on the next
 * change. Changes are serialised; lookups only wait for a change in progress.
 */
public final class SuppressionStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(SuppressionStore.class);

    private final Path file;
    private final Clock clock;
    private final Map<Suppression.Key, Suppression> entries = new HashMap<>();

    private SuppressionStore(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    /**
     * @throws IllegalArgumentException naming file and line when a line does not read
     */
    public static SuppressionStore open(Path file, Clock clock) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        SuppressionStore store = new SuppressionStore(file, clock);
        List<String> lines = TableFile.read(file);
        Instant now = clock.instant();
        for (int number = 1; number <= lines.size(); number++) {
            String line = lines.get(number - 1);
            if (line.isBlank()) {
                continue;
            }
            try {
                Suppression entry = Suppression.parse(line);
                if (!entry.expired(now)) {
                    store.entries.put(entry.key(), entry);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + number + ": " + e.getMessage(), e);
            }
        }
        if (store.entries.size() != lines.stream().filter(line -> !line.isBlank()).count()) {
            synchronized (store) {
                store.save();
            }
        }
        return store;
    }

    /**
     * The entry that stops mail from {@code senderDomain} to {@code address}: one for that sender domain, else one for
     * every sender.
     */
    public synchronized Optional<Suppression> find(String address, Optional<String> senderDomain) {
        String lowercased = address.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        return senderDomain.map(domain -> entries.get(new Suppression.Key(lowercased, Optional.of(domain.toLowerCase(Locale.ROOT)))))
            .or(() -> Optional.ofNullable(entries.get(new Suppression.Key(lowercased, Optional.empty()))))
            .filter(entry -> !entry.expired(now));
    }

    /** Lists the entry, replacing one for the same address and sender domain. */
    public synchronized void add(Suppression entry) {
        entries.put(entry.key(), entry);
        save();
    }

    /** @return whether there was such an entry (expired or not) */
    public synchronized boolean remove(String address, Optional<String> senderDomain) {
        boolean removed = entries.remove(new Suppression.Key(address.toLowerCase(Locale.ROOT),
            senderDomain.map(domain -> domain.toLowerCase(Locale.ROOT)))) != null;
        if (removed) {
            save();
        }
        return removed;
    }

    /** The entries in force whose address contains {@code search}, by address then sender domain. */
    public synchronized List<Suppression> search(String search, int offset, int limit) {
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

    /** Writes the entries in force, dropping the expired; the caller holds the lock. */
    private void save() {
        Instant now = clock.instant();
        entries.values().removeIf(entry -> entry.expired(now));
        List<String> lines = new ArrayList<>(entries.size());
        entries.values().stream().sorted(Comparator.comparing(Suppression::line)).forEach(entry -> lines.add(entry.line()));
        try {
            TableFile.write(file, lines);
        } catch (IOException e) {
            LOGGER.error("cannot write the suppression list {}", file, e);
            throw new UncheckedIOException(e);
        }
    }
}
