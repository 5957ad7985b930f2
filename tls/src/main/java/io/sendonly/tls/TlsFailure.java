package io.sendonly.tls;

/** A TLS requirement not met: its TLS-RPT result type, and a sentence for the log, the DSN and the event. */
public record TlsFailure(ResultType type, String reason) {
}
