package io.sendonly.smtp;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A handshake that accepts any certificate and checks no name: delivery's every handshake, whose certificate is then
 * judged by the destination's check (the tls module's {@code PeerCheck}: none for {@code may} and {@code encrypt},
 * WebPKI, DANE), and submission over loopback to a server with its self-made certificate.
 */
public final class AcceptAnyCertificate implements X509TrustManager {
    /** A client TLS context that accepts any server certificate. */
    public static SSLContext context() throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new AcceptAnyCertificate()}, null);
        return context;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
