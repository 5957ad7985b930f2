package io.sendonly.tls;

import java.util.Optional;

/** MTA-STS policies by recipient domain: discovery, fetch and cache (RFC 8461 sections 3 to 5). */
@FunctionalInterface
public interface StsPolicies {
    StsPolicies NONE = domain -> new StsLookup.NotPublished();

    StsLookup lookup(String domain);

    /**
     * The authorities an MX host's certificate must chain to under a found policy (RFC 8461 section 4.2), as the policy
     * hosts' do; empty for the JDK's.
     */
    default Optional<TrustAnchors> authorities() {
        return Optional.empty();
    }
}
