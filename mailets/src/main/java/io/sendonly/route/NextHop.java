package io.sendonly.route;

import java.util.Optional;

/**
 * Where a route hands mail over: a typed next hop, never a "host:port" string. {@code mxLookup} is false for a
 * smart host written {@code [host]} (Postfix) or given in nullmailer remotes, true for a plain Postfix domain.
 * {@code caFile} (PEM) replaces the JDK's trusted authorities when certificates are verified.
 * {@link #toString()} never shows the password.
 */
public record NextHop(String host, int port, boolean mxLookup, TlsMode tls, boolean verifyCertificate,
                      Optional<String> caFile, Optional<Credentials> credentials) {
    public enum TlsMode {
        /** Plain SMTP only. */
        NONE,
        /** STARTTLS when offered, plain otherwise, certificate not checked (Postfix smtp_tls_security_level = may). */
        OPPORTUNISTIC,
        /** STARTTLS or no delivery: deferred, never sent in clear (Postfix encrypt). */
        REQUIRED_STARTTLS,
        /** TLS from the first byte, port 465 style (nullmailer --ssl). */
        IMPLICIT
    }

    public enum AuthMethod {
        PLAIN,
        LOGIN
    }

    public record Credentials(String user, String password, AuthMethod method) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", method=" + method + "]";
        }
    }

    @Override
    public String toString() {
        return (mxLookup ? host : "[" + host + "]") + ":" + port + " tls=" + tls + (verifyCertificate ? "" : " insecure")
            + caFile.map(file -> " cafile=" + file).orElse("")
            + credentials.map(value -> " user=" + value.user() + " auth=" + value.method()).orElse("");
    }
}
