package io.sendonly.accept;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.filesystem.api.FileSystem;

import io.sendonly.check.TrustedHostsFile;

/** The {@code <trustedHosts>} parameter of our SMTP handlers: a TrustedHosts file URL, loopback when unset. */
final class TrustedHostsParameter {
    static final String NAME = "trustedHosts";

    private TrustedHostsParameter() {
    }

    static TrustedHostsFile open(FileSystem fileSystem, Configuration config, Class<?> handler) throws ConfigurationException {
        try {
            return TrustedHostsFile.open(fileSystem, config.getString(NAME, null));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(handler.getSimpleName() + " <" + NAME + ">: " + e.getMessage(), e);
        }
    }
}
