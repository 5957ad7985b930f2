package io.sendonly.tls;

import java.util.List;
import java.util.Optional;

/**
 * How delivery talks TLS to one host of a destination, decided before connecting ({@link TlsPolicyResolver}):
 * connect with a TLS requirement, or do not use the host at all.
 */
public sealed interface HostTls {
    /** Whether and how STARTTLS is used. */
    enum Mode {
        /** Never STARTTLS. */
        NONE,
        /** STARTTLS when offered; clear text when it is not, or when the handshake fails. */
        MAY,
        /** STARTTLS or no delivery: the mail waits, never goes in clear. */
        REQUIRED
    }

    /** Where a negotiation's {@link TlsResult} goes, for a destination with a policy domain (direct delivery). */
    Optional<Report> report();

    /**
     * @param check run on the peer's chain after the handshake; with {@link Mode#REQUIRED} a failure defers the
     *     mail, with {@link Mode#MAY} it is only reported (MTA-STS testing)
     * @param requirement what was demanded, for logs and the connection cache: connections made for one requirement
     *     are not reused for another
     */
    record Connect(Mode mode, Optional<PeerCheck> check, String requirement, Optional<Report> report) implements HostTls {
    }

    /** The host must not be used (DANE lookup failed, MX not allowed by an enforced MTA-STS policy). */
    record Refused(TlsFailure failure, Optional<Report> report) implements HostTls {
    }

    /**
     * The policy a negotiation is reported under (RFC 8460).
     *
     * @param policyFailure a failure to report even when the negotiation itself succeeds: the policy could not be
     *     fetched, or (testing mode) the MX is not one the policy allows
     */
    record Report(String policyDomain, PolicyType type, List<String> policyStrings, Optional<TlsFailure> policyFailure) {
        public TlsResult result(String host, String address, Optional<TlsFailure> failure) {
            return new TlsResult(policyDomain, type, policyStrings, host, address, failure.or(() -> policyFailure));
        }
    }
}
