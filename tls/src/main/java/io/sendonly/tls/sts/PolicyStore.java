package io.sendonly.tls.sts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.config.TableFile;

/**
 * The policy cache, in memory and in one file per domain in a folder ({@code var/mta-sts/}, 0700; files 0600,
 * replaced whole), read back at start so that a policy outlives a restart as RFC 8461 section 5.1 expects. A file
 * holds {@code fetched:} and {@code id:} lines, an empty line, and the policy as served. A file that does not read is
 * a lost cache entry, logged and removed, not a reason to stop.
 */
final class PolicyStore {
    private static final Logger LOGGER = LoggerFactory.getLogger(PolicyStore.class);
    /** A domain as a file name: no separator, no leading dot, nothing to escape. */
    private static final Pattern FILE_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{0,252}");
    private static final String FETCHED = "fetched: ";
    private static final String ID = "id: ";

    private final Path folder;
    private final Map<String, CachedPolicy> policies = new ConcurrentHashMap<>();

    private PolicyStore(Path folder) {
        this.folder = folder;
    }

    /** Creates the folder if need be, and loads every policy still valid at {@code now}; expired ones are removed. */
    static PolicyStore open(Path folder, Instant now) throws IOException {
        Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        PolicyStore store = new PolicyStore(folder);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder)) {
            for (Path file : files) {
                String domain = file.getFileName().toString();
                if (!FILE_NAME.matcher(domain).matches()) {
                    continue;
                }
                Optional<CachedPolicy> cached = read(file, domain);
                if (cached.isPresent() && cached.get().validAt(now)) {
                    store.policies.put(domain, cached.get());
                } else {
                    Files.deleteIfExists(file);
                }
            }
        }
        return store;
    }

    Optional<CachedPolicy> get(String domain) {
        return Optional.ofNullable(policies.get(domain));
    }

    /** Kept in memory, and on disk when the domain makes a file name. */
    void put(CachedPolicy cached) throws IOException {
        String domain = cached.policy().domain();
        policies.put(domain, cached);
        if (FILE_NAME.matcher(domain).matches()) {
            List<String> lines = new ArrayList<>();
            lines.add(FETCHED + cached.fetched());
            lines.add(ID + cached.policy().id());
            lines.add("");
            lines.addAll(cached.policy().lines());
            TableFile.write(folder.resolve(domain), lines);
        }
    }

    private static Optional<CachedPolicy> read(Path file, String domain) {
        try {
            String[] parts = Files.readString(file, StandardCharsets.UTF_8).split("\n\n", 2);
            List<String> header = parts[0].lines().toList();
            if (parts.length != 2 || header.size() != 2 || !header.get(0).startsWith(FETCHED) || !header.get(1).startsWith(ID)) {
                throw new IOException("expected " + FETCHED + "and " + ID + "lines, an empty line and the policy");
            }
            Instant fetched = Instant.parse(header.get(0).substring(FETCHED.length()));
            String id = header.get(1).substring(ID.length());
            return Optional.of(new CachedPolicy(PolicyText.parse(domain, id, parts[1]), fetched));
        } catch (IOException | DateTimeParseException | PolicyUnavailable e) {
            LOGGER.warn("MTA-STS cache {}: dropped, it does not read: {}", file, e.getMessage());
            return Optional.empty();
        }
    }
}
