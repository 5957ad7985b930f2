package io.sendonly.tls.sts;

import io.sendonly.tls.ResultType;
import io.sendonly.tls.TlsFailure;

/** A domain publishes an MTA-STS record, but no policy could be had: why, as TLS-RPT names it. */
final class PolicyUnavailable extends Exception {
    private final TlsFailure failure;

    PolicyUnavailable(ResultType type, String reason) {
        this(type, reason, null);
    }

    PolicyUnavailable(ResultType type, String reason, Throwable cause) {
        super(reason, cause);
        this.failure = new TlsFailure(type, reason);
    }

    TlsFailure failure() {
        return failure;
    }
}
