package io.sendonly.tls;

/** What looking up a domain's MTA-STS policy gave. */
public sealed interface StsLookup {
    /** A policy, fresh or from the cache. */
    record Found(StsPolicy policy) implements StsLookup {
    }

    /** No {@code _mta-sts} record and no cached policy: the domain has none. */
    record NotPublished() implements StsLookup {
    }

    /** A record, but no usable policy and none cached: delivered as without one (RFC 8461 section 5), reported. */
    record Failed(TlsFailure failure) implements StsLookup {
    }
}
