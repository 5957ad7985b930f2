package io.sendonly.deliver;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLContext;

import io.sendonly.smtp.AcceptAnyCertificate;
import io.sendonly.tls.TrustedAuthorities;

/**
 * The TLS client contexts delivery uses: verifying against the JDK's authorities, verifying against a CA file, or
 * (opportunistic TLS to an MX, {@code --insecure}) accepting any certificate, as Postfix's {@code may} level does.
 * Each is built once.
 */
final class TlsContexts {
    private final Map<Optional<Path>, SSLContext> verifying = new ConcurrentHashMap<>();
    private final SSLContext unverified;

    TlsContexts() throws GeneralSecurityException {
        this.unverified = AcceptAnyCertificate.context();
    }

    SSLContext unverified() {
        return unverified;
    }

    /** @param caFile PEM certificates to trust instead of the JDK's; checked when the route table is loaded */
    SSLContext verifying(Optional<Path> caFile) {
        return verifying.computeIfAbsent(caFile, file -> {
            try {
                return TrustedAuthorities.context(file);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalArgumentException("CA file " + file.get() + ": " + e.getMessage(), e);
            }
        });
    }
}
