package io.sendonly.tls.sts;

import java.time.Instant;

import io.sendonly.tls.StsPolicy;

/** A policy and when it was fetched: it may be used until {@code max_age} has passed since (RFC 8461 section 5.1). */
record CachedPolicy(StsPolicy policy, Instant fetched) {
    Instant expires() {
        return fetched.plus(policy.maxAge());
    }

    boolean validAt(Instant now) {
        return now.isBefore(expires());
    }

    /** Half its lifetime gone: fetched again, though its id has not changed, so that it does not lapse while in use. */
    boolean dueForRefreshAt(Instant now) {
        return !now.isBefore(fetched.plus(policy.maxAge().dividedBy(2)));
    }
}
