package io.sendonly.check;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.james.filesystem.api.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.config.FileVersion;

/**
 * A {@code TrustedHosts} file named by a James file URL ({@code file://conf/TrustedHosts}), loopback when none is
 * given. Loaded at start, where an error stops start-up; read again when the file changes (webadmin or an operator
 * replaced it), so that a change applies without restart. A bad edit then keeps the networks in force, with a log line.
 */
public final class TrustedHostsFile {
    private record Loaded(TrustedNetworks networks, Optional<FileVersion> version) {
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
            return new TrustedHostsFile(Optional.empty(), new Loaded(TrustedNetworks.LOOPBACK, Optional.empty()));
        }
        try {
            Path path = fileSystem.getFile(fileUrl.trim()).toPath();
            Optional<FileVersion> version = FileVersion.of(path);
            return new TrustedHostsFile(Optional.of(path), new Loaded(TrustedNetworks.load(path), version));
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException(fileUrl + ": TrustedHosts file not found", e);
        }
    }

    /** The networks as the file says now. */
    public TrustedNetworks current() {
        Loaded current = loaded;
        if (file.isEmpty()) {
            return current.networks();
        }
        Optional<FileVersion> version = FileVersion.of(file.get());
        if (!version.equals(current.version())) {
            reload(version);
        }
        return loaded.networks();
    }

    /** A file that cannot be read is a version too: it does not load, and the networks in force stay. */
    private synchronized void reload(Optional<FileVersion> version) {
        if (version.equals(loaded.version())) {
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
}
