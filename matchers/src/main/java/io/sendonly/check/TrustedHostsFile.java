package io.sendonly.check;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import org.apache.james.filesystem.api.FileSystem;

import io.sendonly.config.WatchedFile;

/**
 * A {@code TrustedHosts} file named by a James file URL ({@code file://conf/TrustedHosts}), loopback when none is
 * given. Loaded at start, where an error stops start-up; read again when the file changes (a {@link WatchedFile}),
 * so that a change applies without restart, and a bad edit keeps the networks in force.
 */
public final class TrustedHostsFile {
    private final Supplier<TrustedNetworks> networks;

    private TrustedHostsFile(Supplier<TrustedNetworks> networks) {
        this.networks = networks;
    }

    public static TrustedHostsFile open(FileSystem fileSystem, String fileUrl) {
        if (fileUrl == null || fileUrl.isBlank()) {
            return new TrustedHostsFile(() -> TrustedNetworks.LOOPBACK);
        }
        try {
            Path path = fileSystem.getFile(fileUrl.trim()).toPath();
            return new TrustedHostsFile(WatchedFile.load("TrustedHosts", List.of(path), () -> TrustedNetworks.load(path)));
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException(fileUrl + ": TrustedHosts file not found", e);
        }
    }

    /** The networks as the file says now. */
    public TrustedNetworks current() {
        return networks.get();
    }
}
