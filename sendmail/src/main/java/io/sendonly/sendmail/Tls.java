package io.sendonly.sendmail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * STARTTLS for submission. The local server's certificate is self-signed (generated at its first start): on a
 * loopback connection, where nothing can be in between, it is accepted as is; to any other host the JDK's
 * trust store and host name verification apply.
 */
final class Tls {
    private Tls() {
    }

    static Socket wrap(Socket plain, String host) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            boolean loopback = InetAddress.getByName(host).isLoopbackAddress();
            context.init(null, loopback ? new TrustManager[] {new AcceptLoopbackServer()} : null, null);
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, plain.getPort(), true);
            if (!loopback) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
            }
            socket.startHandshake();
            return socket;
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS: " + e.getMessage(), e);
        }
    }

    private static final class AcceptLoopbackServer implements X509TrustManager {
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
}
