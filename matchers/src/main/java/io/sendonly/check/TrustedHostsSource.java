package io.sendonly.check;

import java.io.FileNotFoundException;

import org.apache.james.filesystem.api.FileSystem;

/** Loads {@link TrustedNetworks} from a James file URL ({@code file://conf/TrustedHosts}), or loopback when none is given. */
public final class TrustedHostsSource {
    private TrustedHostsSource() {
    }

    public static TrustedNetworks load(FileSystem fileSystem, String fileUrl) {
        if (fileUrl == null || fileUrl.isBlank()) {
            return TrustedNetworks.LOOPBACK;
        }
        try {
            return TrustedNetworks.load(fileSystem.getFile(fileUrl.trim()).toPath());
        } catch (FileNotFoundException e) {
            throw new IllegalArgumentException(fileUrl + ": TrustedHosts file not found", e);
        }
    }
}
