package io.sendonly.route;

import java.util.Optional;

import io.sendonly.tls.SecurityLevel;

/**
 * Where a route hands mail over: a typed next hop, never a "host:port" string. {@code mxLookup} is false for a
 * smart host written {@code [host]} (Postfix) or given in nullmailer remotes, true for a plain Postfix domain.
 * {@code tls} is the hop's Postfix security level; {@code wrapper} means TLS from the first byte (port 465,
 * nullmailer {@code --ssl}, Postfix {@code smtp_tls_wrappermode}), whatever the level. {@code caFile} (PEM) replaces
 * the JDK's trusted authorities when the level verifies certificates. {@link #toString()} never shows the password.
 */
public record NextHop(String host, int port, boolean mxLookup, SecurityLevel tls, boolean wrapper,
                      Optional<String> caFile, Optional<Credentials> credentials) {
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
        return (mxLookup ? host : "[" + host + "]") + ":" + port + " tls=" + tls.word() + (wrapper ? " wrapper" : "")
            + caFile.map(file -> " cafile=" + file).orElse("")
            + credentials.map(value -> " user=" + value.user() + " auth=" + value.method()).orElse("");
    }
}
