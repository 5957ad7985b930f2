package io.sendonly.tls;

/** Where delivery tells each TLS negotiation's result (TLS-RPT's recorder; a no-op where reporting is off). */
@FunctionalInterface
public interface TlsResults {
    TlsResults IGNORED = result -> { };

    void record(TlsResult result);
}
