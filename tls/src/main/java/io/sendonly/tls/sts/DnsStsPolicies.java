package io.sendonly.tls.sts;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Resolver;

import io.sendonly.tls.StsLookup;
import io.sendonly.tls.StsPolicies;
import io.sendonly.tls.StsPolicy;
import io.sendonly.tls.TlsFailure;
import io.sendonly.tls.TrustAnchors;

/**
 * MTA-STS as RFC 8461 sections 3 to 5 have it: the {@code _mta-sts} TXT record through the given resolver; when it
 * names a policy id the cache does not hold (or the cached policy is half-way to its {@code max_age}), the policy
 * fetched over HTTPS and cached, on disk too. A domain whose record is gone, or whose policy cannot be fetched, keeps
 * its cached policy until it expires; with none cached, a record without a policy is {@link StsLookup.Failed}, and
 * the fetch is not tried again for that id before {@link #RETRY_AFTER}.
 */
public final class DnsStsPolicies implements StsPolicies {
    /** RFC 8461 section 3.3 leaves it to the sender; a policy host is a static web server. */
    public static final Duration FETCH_TIMEOUT = Duration.ofSeconds(10);
    /** How long a failed fetch stands before the next mail to the domain tries again. */
    static final Duration RETRY_AFTER = Duration.ofMinutes(5);
    private static final Logger LOGGER = LoggerFactory.getLogger(DnsStsPolicies.class);

    private final Discovery discovery;
    private final Source source;
    private final PolicyStore store;
    private final Clock clock;
    private final Optional<TrustAnchors> authorities;
    /** One fetch at a time per domain, from a fixed set of locks: no lock object kept for every domain ever seen. */
    private final Object[] locks = Stream.generate(Object::new).limit(64).toArray();
    private final Map<String, FailedFetch> failures = new ConcurrentHashMap<>();

    /** What the {@code _mta-sts} name holds: its TXT records. */
    @FunctionalInterface
    interface Discovery {
        List<String> txt(String domain);
    }

    /** Where policies come from: the policy host. */
    @FunctionalInterface
    interface Source {
        StsPolicy fetch(String domain, String id) throws PolicyUnavailable;
    }

    private record FailedFetch(String id, TlsFailure failure, Instant at) {
    }

    DnsStsPolicies(Discovery discovery, Source source, PolicyStore store, Clock clock, Optional<TrustAnchors> authorities) {
        this.discovery = discovery;
        this.source = source;
        this.store = store;
        this.clock = clock;
        this.authorities = authorities;
    }

    /**
     * @param resolver the DNS servers delivery uses
     * @param authorities the authorities policy hosts' certificates must chain to, and MX hosts' under a policy
     * @param cacheFolder where policies are kept across restarts, e.g. {@code var/mta-sts}
     */
    public static DnsStsPolicies open(Resolver resolver, TrustAnchors authorities, Path cacheFolder, Clock clock) throws IOException {
        return open(resolver, authorities, PolicyFetcher.HTTPS_PORT, cacheFolder, clock);
    }

    static DnsStsPolicies open(Resolver resolver, TrustAnchors authorities, int port, Path cacheFolder, Clock clock) throws IOException {
        PolicyDns dns = new PolicyDns(resolver);
        PolicyFetcher fetcher = new PolicyFetcher(authorities.clientContext(), port, FETCH_TIMEOUT);
        Source https = (domain, id) -> {
            String host = "mta-sts." + domain;
            return PolicyText.parse(domain, id, fetcher.fetch(host, dns.addresses(host)));
        };
        return new DnsStsPolicies(dns::txt, https, PolicyStore.open(cacheFolder, clock.instant()), clock, Optional.of(authorities));
    }

    @Override
    public Optional<TrustAnchors> authorities() {
        return authorities;
    }

    @Override
    public StsLookup lookup(String recipientDomain) {
        String domain = normalise(recipientDomain);
        synchronized (locks[Math.floorMod(domain.hashCode(), locks.length)]) {
            Optional<StsRecord> record = StsRecord.select(discovery.txt(domain));
            Instant now = clock.instant();
            Optional<CachedPolicy> cached = store.get(domain).filter(policy -> policy.validAt(now));
            if (record.isEmpty()) {
                failures.remove(domain);
                return found(cached).orElseGet(StsLookup.NotPublished::new);
            }
            String id = record.get().id();
            if (cached.isPresent() && cached.get().policy().id().equals(id) && !cached.get().dueForRefreshAt(now)) {
                return new StsLookup.Found(cached.get().policy());
            }
            FailedFetch failed = failures.get(domain);
            if (failed != null && failed.id().equals(id) && now.isBefore(failed.at().plus(RETRY_AFTER))) {
                return found(cached).orElseGet(() -> new StsLookup.Failed(failed.failure()));
            }
            return fetch(domain, id, cached, now);
        }
    }

    private StsLookup fetch(String domain, String id, Optional<CachedPolicy> cached, Instant now) {
        try {
            StsPolicy policy = source.fetch(domain, id);
            failures.remove(domain);
            try {
                store.put(new CachedPolicy(policy, now));
            } catch (IOException e) {
                LOGGER.warn("MTA-STS policy of {} used but not cached on disk: {}", domain, e.toString());
            }
            LOGGER.info("MTA-STS policy of {}: id {}, mode {}, max_age {}s, mx {}", domain, id,
                policy.mode().name().toLowerCase(Locale.ROOT), policy.maxAge().toSeconds(), policy.mxPatterns());
            return new StsLookup.Found(policy);
        } catch (PolicyUnavailable e) {
            failures.put(domain, new FailedFetch(id, e.failure(), now));
            LOGGER.warn("MTA-STS policy of {} (id {}): {}{}", domain, id, e.getMessage(),
                cached.isPresent() ? "; the cached policy (id " + cached.get().policy().id() + ") stays in force" : "");
            return found(cached).orElseGet(() -> new StsLookup.Failed(e.failure()));
        }
    }

    private static Optional<StsLookup> found(Optional<CachedPolicy> cached) {
        return cached.map(policy -> new StsLookup.Found(policy.policy()));
    }

    private static String normalise(String domain) {
        String lower = domain.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
