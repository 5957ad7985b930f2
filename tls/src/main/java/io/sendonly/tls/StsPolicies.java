package io.sendonly.tls;

/** MTA-STS policies by recipient domain: discovery, fetch and cache (RFC 8461 sections 3 to 5). */
@FunctionalInterface
public interface StsPolicies {
    StsPolicies NONE = domain -> new StsLookup.NotPublished();

    StsLookup lookup(String domain);
}
