package io.sendonly.cli;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS to webadmin trusting exactly the certificates of the keystore it serves ({@code https.keystore}): often
 * self-signed, for a name other than 127.0.0.1. The certificate is pinned, so the name it carries is not checked.
 */
final class PinnedTls {
    private PinnedTls() {
    }

    static SSLContext trusting(Path keystore, String password) throws CliException {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(KeyStore.getInstance(keystore.toFile(), password.toCharArray()));
            X509TrustManager pinned = (X509TrustManager) factory.getTrustManagers()[0];
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new WithoutNameCheck(pinned)}, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException(CliException.EX_CONFIG, "cannot read webadmin's https.keystore " + keystore + ": " + e.getMessage());
        }
    }

    /** The chain checked against the pinned certificates; the host name is not, as the extended checks would. */
    private static final class WithoutNameCheck extends X509ExtendedTrustManager {
        private final X509TrustManager pinned;

        WithoutNameCheck(X509TrustManager pinned) {
            this.pinned = pinned;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            pinned.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            pinned.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            pinned.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a client does not check clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return pinned.getAcceptedIssuers();
        }
    }
}
