package io.sendonly.check;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.Optional;

import org.apache.james.filesystem.api.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code TrustedHosts} file named by a James file URL ({@code file://conf/TrustedHosts}), loopback when none is
 * given. Loaded at start, where an error stops start-up; read again when the file changes (webadmin or an operator
 * replaced it), so that a change applies without restart. A bad edit then keeps the networks in force, with a log line.
 */
public final class TrustedHostsFile {
    private record Version(Object fileKey, FileTime modified, long size) {
    }

    private record Loaded(TrustedNetworks networks, Version version) {
    }

    private static final Logger LOGGER = LoggerFactory.getLogger(TrustedHostsFile.class);

    private final Optional<Path> file;
    private volatile Loaded loaded;

    private TrustedHostsFile(Optional<Path> file, Loaded loaded) {
        this.file = file;
        this.loaded = loaded;
    }

    public static TrustedHostsFile open(FileSystem fileSystem, String fileUrl) {
        if (fileUrl == null || fileUrl.isBlank()) {
            return new TrustedHostsFile(Optional.empty(), new Loaded(TrustedNetworks.LOOPBACK, null));
        }
        try {
            Path path = fileSystem.getFile(fileUrl.trim()).toPath();
            Version version = version(path);
            return new TrustedHostsFile(Optional.of(path), new Loaded(TrustedNetworks.load(path), version));
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException(fileUrl + ": TrustedHosts file not found", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(fileUrl + ": " + e.getMessage(), e);
        }
    }

    /** The networks as the file says now. */
    public TrustedNetworks current() {
        Loaded current = loaded;
        if (file.isEmpty()) {
            return current.networks();
        }
        try {
            Version version = version(file.get());
            if (!Objects.equals(version, current.version())) {
                reload(version);
            }
        } catch (IOException e) {
            LOGGER.error("{} cannot be read ({}); the trusted networks in force stay", file.get(), e.getMessage());
        }
        return loaded.networks();
    }

    private synchronized void reload(Version version) {
        if (Objects.equals(version, loaded.version())) {
            return;
        }
        try {
            TrustedNetworks networks = TrustedNetworks.load(file.get());
            loaded = new Loaded(networks, version);
            LOGGER.info("{} changed: relaying for {}", file.get(), networks);
        } catch (IllegalArgumentException e) {
            loaded = new Loaded(loaded.networks(), version);
            LOGGER.error("{} changed but is invalid ({}); the trusted networks in force stay", file.get(), e.getMessage());
        }
    }

    private static Version version(Path path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
        return new Version(attributes.fileKey(), attributes.lastModifiedTime(), attributes.size());
    }
}
