package io.sendonly.deliver;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import io.sendonly.smtp.AcceptAnyCertificate;

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
                return file.isPresent() ? context(trustManagers(file.get())) : context(null);
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalArgumentException("CA file " + file.get() + ": " + e.getMessage(), e);
            }
        });
    }

    private static TrustManager[] trustManagers(Path caFile) throws GeneralSecurityException, IOException {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new GeneralSecurityException("no certificate in it");
            }
            int index = 0;
            for (Certificate certificate : certificates) {
                trusted.setCertificateEntry("ca-" + index++, certificate);
            }
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return factory.getTrustManagers();
    }

    private static SSLContext context(TrustManager[] trustManagers) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers, null);
        return context;
    }
}
