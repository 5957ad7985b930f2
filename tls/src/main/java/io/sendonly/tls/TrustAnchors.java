package io.sendonly.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The authorities a certificate chain must lead to: the JDK's {@code cacerts}, or the PEM certificates of a file
 * (Postfix {@code tafile=}, nullmailer {@code --x509cafile}) in their place. Validation is PKIX, without a name: the
 * name is {@link WebPkiCheck}'s job.
 */
public final class TrustAnchors {
    private final X509TrustManager trust;
    private final String description;

    private TrustAnchors(X509TrustManager trust, String description) {
        this.trust = trust;
        this.description = description;
    }

    /** The JDK's authorities, as a browser would trust them. */
    public static TrustAnchors jdk() {
        try {
            return new TrustAnchors(trustManager(null), "the JDK's authorities");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK's trusted authorities cannot be loaded: " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException naming the file when it is unreadable or holds no certificate */
    public static TrustAnchors pem(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (certificates.isEmpty()) {
                throw new IllegalArgumentException("trust anchor file " + file + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int index = 0;
            for (Certificate certificate : certificates) {
                store.setCertificateEntry("anchor-" + index++, certificate);
            }
            return new TrustAnchors(trustManager(store), file.toString());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("trust anchor file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code chain} (the peer's own certificate first) leads to one of these authorities. */
    public boolean trusts(List<X509Certificate> chain) {
        try {
            // No TLS key exchange to match the key usage against: the handshake is over, any suite was fine.
            trust.checkServerTrusted(chain.toArray(X509Certificate[]::new), "UNKNOWN");
            return true;
        } catch (CertificateException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * A TLS client context verifying servers against these authorities: the name is checked only where the socket
     * asks for endpoint identification.
     */
    public SSLContext clientContext() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trust}, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS client context: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return description;
    }

    private static X509TrustManager trustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }
}
