package io.sendonly.tls.sts;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import io.sendonly.tls.ResultType;

/**
 * Fetches {@code https://mta-sts.DOMAIN/.well-known/mta-sts.txt} (RFC 8461 section 3.3) from addresses the caller
 * resolved: an HTTP/1.1 GET over a TLS socket whose certificate must chain to the given authorities and name the
 * host, within one deadline for connection, handshake and answer. The JDK's HttpClient cannot do this: it resolves
 * through the system resolver only, and it will not send a Host header other than the URI's.
 */
final class PolicyFetcher {
    static final String PATH = "/.well-known/mta-sts.txt";
    static final int HTTPS_PORT = 443;

    private final SSLContext authorities;
    private final int port;
    private final Duration timeout;

    /** @param authorities a client context whose trust managers hold the authorities a policy host may chain to */
    PolicyFetcher(SSLContext authorities, int port, Duration timeout) {
        this.authorities = authorities;
        this.port = port;
        this.timeout = timeout;
    }

    /**
     * The policy body from the first of {@code addresses} that answers.
     *
     * @throws PolicyUnavailable sts-webpki-invalid for a certificate that does not verify, sts-policy-invalid for an
     *     answer that is not a policy file, sts-policy-fetch-error otherwise
     */
    String fetch(String host, List<InetAddress> addresses) throws PolicyUnavailable {
        if (addresses.isEmpty()) {
            throw new PolicyUnavailable(ResultType.STS_POLICY_FETCH_ERROR, "MTA-STS policy fetch failed: " + host + " has no address");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        PolicyUnavailable last = null;
        for (InetAddress address : addresses) {
            try {
                return get(host, address, deadline);
            } catch (PolicyUnavailable e) {
                last = e;
            }
        }
        throw last;
    }

    private String get(String host, InetAddress address, long deadline) throws PolicyUnavailable {
        String where = "https://" + host + PATH + " at " + address.getHostAddress();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), remainingMillis(deadline));
            plain.setSoTimeout(remainingMillis(deadline));
            try (SSLSocket tls = (SSLSocket) authorities.getSocketFactory().createSocket(plain, host, port, true)) {
                SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                parameters.setServerNames(List.of(new SNIHostName(host)));
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                OutputStream out = tls.getOutputStream();
                out.write(("GET " + PATH + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: text/plain\r\nConnection: close\r\n"
                    + "User-Agent: james-sendonly MTA-STS\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return PolicyResponse.read(new BufferedInputStream(new Deadline(tls.getInputStream(), tls, deadline)));
            }
        } catch (PolicyUnavailable e) {
            throw new PolicyUnavailable(e.failure().type(), e.getMessage() + " (" + where + ")", e);
        } catch (IllegalArgumentException e) {
            throw new PolicyUnavailable(ResultType.STS_POLICY_FETCH_ERROR, "MTA-STS policy fetch failed: " + host
                + " is not a host name for TLS (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            if (causedByCertificate(e)) {
                throw new PolicyUnavailable(ResultType.STS_WEBPKI_INVALID, "MTA-STS policy host certificate invalid: "
                    + e.getMessage() + " (" + where + ")", e);
            }
            String problem = e instanceof SocketTimeoutException ? "no answer within " + timeout.toSeconds() + "s" : e.toString();
            throw new PolicyUnavailable(ResultType.STS_POLICY_FETCH_ERROR, "MTA-STS policy fetch failed: " + problem
                + " (" + where + ")", e);
        }
    }

    private static boolean causedByCertificate(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException) {
                return true;
            }
        }
        return false;
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long remaining = Duration.ofNanos(deadline - System.nanoTime()).toMillis();
        if (remaining <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, remaining);
    }

    /** Each read may wait only for what is left of the deadline: a server sending a byte at a time cannot hold us. */
    private static final class Deadline extends FilterInputStream {
        private final Socket socket;
        private final long deadline;

        Deadline(InputStream in, Socket socket, long deadline) {
            super(in);
            this.socket = socket;
            this.deadline = deadline;
        }

        @Override
        public int read() throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return super.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            socket.setSoTimeout(remainingMillis(deadline));
            return super.read(buffer, offset, length);
        }
    }
}
