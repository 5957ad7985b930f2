package io.sendonly.tls.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.SettableClock;
import io.sendonly.tls.ResultType;
import io.sendonly.tls.StsLookup;
import io.sendonly.tls.StsPolicy;
import io.sendonly.tls.TlsFailure;

/**
 * The cache and refresh rules of RFC 8461 section 5 over a TXT record and a policy host the test changes at will;
 * the real DNS and HTTPS sides are {@link DnsStsPoliciesDnsTest}'s.
 */
class DnsStsPoliciesTest {
    private static final String DOMAIN = "example.test";
    private static final Duration MAX_AGE = Duration.ofDays(1);

    @TempDir
    Path var;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-30T09:00:00Z"));
    private final AtomicReference<List<String>> txt = new AtomicReference<>(List.of("v=STSv1; id=one;"));
    private final AtomicReference<String> served = new AtomicReference<>(policy("enforce", MAX_AGE));
    private final List<String> fetches = new ArrayList<>();

    @Test
    void lookupShouldFindNothingWithoutRecord() throws Exception {
        txt.set(List.of("v=spf1 -all"));

        assertThat(policies().lookup(DOMAIN)).isEqualTo(new StsLookup.NotPublished());
        assertThat(fetches).isEmpty();
    }

    @Test
    void lookupShouldFetchOnceAndAnswerFromTheCacheWhileTheIdStays() throws Exception {
        DnsStsPolicies policies = policies();

        StsPolicy first = found(policies.lookup(DOMAIN));
        clock.advance(MAX_AGE.dividedBy(2).minusSeconds(1));
        StsPolicy second = found(policies.lookup("Example.TEST."));

        assertThat(first.mode()).isEqualTo(StsPolicy.Mode.ENFORCE);
        assertThat(first.id()).isEqualTo("one");
        assertThat(second).isEqualTo(first);
        assertThat(fetches).containsExactly("one");
    }

    @Test
    void lookupShouldFetchAgainWhenTheIdChanges() throws Exception {
        DnsStsPolicies policies = policies();
        policies.lookup(DOMAIN);
        txt.set(List.of("v=STSv1; id=two;"));
        served.set(policy("testing", MAX_AGE));

        StsPolicy policy = found(policies.lookup(DOMAIN));

        assertThat(policy.mode()).isEqualTo(StsPolicy.Mode.TESTING);
        assertThat(policy.id()).isEqualTo("two");
        assertThat(fetches).containsExactly("one", "two");
    }

    @Test
    void lookupShouldRefreshAPolicyHalfWayToItsMaxAge() throws Exception {
        DnsStsPolicies policies = policies();
        policies.lookup(DOMAIN);
        clock.advance(MAX_AGE.dividedBy(2));

        policies.lookup(DOMAIN);

        assertThat(fetches).containsExactly("one", "one");
    }

    @Test
    void lookupShouldKeepTheCachedPolicyWhenTheRecordIsGone() throws Exception {
        DnsStsPolicies policies = policies();
        StsPolicy cached = found(policies.lookup(DOMAIN));
        txt.set(List.of());
        clock.advance(MAX_AGE.minusSeconds(1));

        assertThat(found(policies.lookup(DOMAIN))).isEqualTo(cached);
        clock.advance(Duration.ofSeconds(1));
        assertThat(policies.lookup(DOMAIN)).isEqualTo(new StsLookup.NotPublished());
    }

    @Test
    void lookupShouldKeepTheCachedPolicyWhenANewOneCannotBeFetched() throws Exception {
        DnsStsPolicies policies = policies();
        StsPolicy cached = found(policies.lookup(DOMAIN));
        txt.set(List.of("v=STSv1; id=two;"));
        served.set("<html>gone</html>");

        assertThat(found(policies.lookup(DOMAIN))).isEqualTo(cached);
        assertThat(fetches).containsExactly("one", "two");
    }

    @Test
    void lookupShouldFailWithTheReasonWhenARecordHasNoPolicy() throws Exception {
        served.set("version: STSv1\nmode: enforce\n");

        StsLookup lookup = policies().lookup(DOMAIN);

        assertThat(lookup).isInstanceOfSatisfying(StsLookup.Failed.class, failed -> {
            TlsFailure failure = failed.failure();
            assertThat(failure.type()).isEqualTo(ResultType.STS_POLICY_INVALID);
            assertThat(failure.reason()).contains("max_age is missing");
        });
    }

    @Test
    void lookupShouldNotFetchAgainSoonAfterAFailure() throws Exception {
        served.set("garbage");
        DnsStsPolicies policies = policies();
        policies.lookup(DOMAIN);
        clock.advance(DnsStsPolicies.RETRY_AFTER.minusSeconds(1));

        assertThat(policies.lookup(DOMAIN)).isInstanceOf(StsLookup.Failed.class);
        assertThat(fetches).hasSize(1);

        served.set(policy("enforce", MAX_AGE));
        clock.advance(Duration.ofSeconds(1));
        assertThat(found(policies.lookup(DOMAIN)).mode()).isEqualTo(StsPolicy.Mode.ENFORCE);
        assertThat(fetches).hasSize(2);
    }

    @Test
    void lookupShouldCacheAPolicyInModeNone() throws Exception {
        served.set("version: STSv1\nmode: none\nmax_age: 86400\n");
        DnsStsPolicies policies = policies();
        policies.lookup(DOMAIN);

        assertThat(found(policies.lookup(DOMAIN)).mode()).isEqualTo(StsPolicy.Mode.NONE);
        assertThat(fetches).hasSize(1);
    }

    @Test
    void aPolicyShouldOutliveARestartInPrivateFiles() throws Exception {
        StsPolicy cached = found(policies().lookup(DOMAIN));
        txt.set(List.of());

        assertThat(found(policies().lookup(DOMAIN))).isEqualTo(cached);
        assertThat(fetches).hasSize(1);
        Path folder = var.resolve("mta-sts");
        assertThat(Files.getPosixFilePermissions(folder)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(folder.resolve(DOMAIN))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aRestartShouldDropExpiredAndUnreadablePolicies() throws Exception {
        policies().lookup(DOMAIN);
        Path folder = var.resolve("mta-sts");
        Files.writeString(folder.resolve("broken.test"), "not a cache entry");
        clock.advance(MAX_AGE);
        txt.set(List.of());

        assertThat(policies().lookup(DOMAIN)).isEqualTo(new StsLookup.NotPublished());
        assertThat(folder.resolve(DOMAIN)).doesNotExist();
        assertThat(folder.resolve("broken.test")).doesNotExist();
    }

    private DnsStsPolicies policies() throws Exception {
        return new DnsStsPolicies(domain -> txt.get(), (domain, id) -> {
            fetches.add(id);
            return PolicyText.parse(domain, id, served.get());
        }, PolicyStore.open(var.resolve("mta-sts"), clock.instant()), clock, Optional.empty());
    }

    private static StsPolicy found(StsLookup lookup) {
        assertThat(lookup).isInstanceOf(StsLookup.Found.class);
        return ((StsLookup.Found) lookup).policy();
    }

    private static String policy(String mode, Duration maxAge) {
        return "version: STSv1\nmode: " + mode + "\nmx: mx.example.test\nmax_age: " + maxAge.toSeconds() + "\n";
    }
}
