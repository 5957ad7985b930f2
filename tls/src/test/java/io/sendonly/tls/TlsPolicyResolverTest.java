package io.sendonly.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.TestCa;

class TlsPolicyResolverTest {
    private static final PeerCheck DANE_CHECK = (chain, host) -> Optional.empty();
    private static final TlsaLookup.Usable USABLE = new TlsaLookup.Usable(List.of(new TlsaLookup.Tlsa(3, 1, 1, new byte[32])),
        List.of("3 1 1 00"));
    private static final TlsFailure BOGUS = new TlsFailure(ResultType.DNSSEC_INVALID, "bogus TLSA answer");
    private static final StsPolicy ENFORCE = policy(StsPolicy.Mode.ENFORCE);
    private static final StsPolicy TESTING = policy(StsPolicy.Mode.TESTING);

    @Test
    void aTableEntryShouldBeatDaneAndMtaSts() {
        HostTls tls = resolver(TlsPolicyTable.parse(List.of("example.org encrypt"), "tls_policy", any -> null), SecurityLevel.DANE,
            signed(USABLE), domain -> new StsLookup.Found(ENFORCE)).direct("example.org").forHost("mx.other.test");

        assertThat(tls).isEqualTo(new HostTls.Connect(HostTls.Mode.REQUIRED, Optional.empty(), "encrypt",
            Optional.of(new HostTls.Report("example.org", PolicyType.NO_POLICY_FOUND, List.of(), Optional.empty()))));
    }

    @Test
    void usableTlsaRecordsShouldBeatMtaSts() {
        HostTls.Connect tls = (HostTls.Connect) resolver(SecurityLevel.DANE, signed(USABLE), domain -> new StsLookup.Found(ENFORCE))
            .direct("example.org").forHost("mx.example.org");

        assertThat(tls.mode()).isEqualTo(HostTls.Mode.REQUIRED);
        assertThat(tls.check()).containsSame(DANE_CHECK);
        assertThat(tls.report()).contains(new HostTls.Report("example.org", PolicyType.TLSA, List.of("3 1 1 00"), Optional.empty()));
    }

    @Test
    void mtaStsShouldNotBeLookedUpWhenDaneDecidesEveryHost() {
        TlsPolicyResolver resolver = resolver(SecurityLevel.DANE, signed(USABLE), domain -> {
            throw new AssertionError("MTA-STS looked up although DANE applies");
        });

        assertThat(((HostTls.Connect) resolver.direct("example.org").forHost("mx.example.org")).check()).containsSame(DANE_CHECK);
    }

    @Test
    void aFailedTlsaLookupShouldRefuseTheHost() {
        HostTls tls = resolver(SecurityLevel.DANE, signed(new TlsaLookup.Failed(BOGUS)), domain -> new StsLookup.NotPublished())
            .direct("example.org").forHost("mx.example.org");

        assertThat(tls).isInstanceOfSatisfying(HostTls.Refused.class, refused -> assertThat(refused.failure()).isEqualTo(BOGUS));
    }

    @Test
    void aHostWithoutUsableTlsaShouldFollowMtaSts() {
        HostTls.Connect tls = (HostTls.Connect) resolver(SecurityLevel.DANE, signed(new TlsaLookup.Unusable()),
            domain -> new StsLookup.Found(ENFORCE)).direct("example.org").forHost("mx1.example.org");

        assertThat(tls.mode()).isEqualTo(HostTls.Mode.REQUIRED);
        assertThat(tls.check()).get().isInstanceOf(WebPkiCheck.class);
        assertThat(tls.report().orElseThrow().type()).isEqualTo(PolicyType.STS);
        assertThat(tls.report().orElseThrow().policyStrings()).isEqualTo(ENFORCE.lines());
    }

    @Test
    void anUnsignedDomainShouldFollowMtaStsWithoutAskingForTlsa() {
        DaneRecords unsigned = new DaneRecords() {
            @Override
            public boolean mxSecure(String domain) {
                return false;
            }

            @Override
            public TlsaLookup tlsa(String host, int port) {
                throw new AssertionError("TLSA looked up for an unsigned domain");
            }
        };

        HostTls tls = resolver(SecurityLevel.DANE, unsigned, domain -> new StsLookup.Found(ENFORCE)).direct("example.org")
            .forHost("mx1.example.org");

        assertThat(((HostTls.Connect) tls).report().orElseThrow().type()).isEqualTo(PolicyType.STS);
    }

    @Test
    void enforceShouldRefuseAnMxThePolicyDoesNotAllow() {
        HostTls tls = resolver(SecurityLevel.DANE, DaneRecords.NONE, domain -> new StsLookup.Found(ENFORCE)).direct("example.org")
            .forHost("mx.attacker.test");

        assertThat(tls).isInstanceOfSatisfying(HostTls.Refused.class, refused -> {
            assertThat(refused.failure().type()).isEqualTo(ResultType.VALIDATION_FAILURE);
            assertThat(refused.failure().reason()).contains("mx.attacker.test").contains("MTA-STS policy of example.org");
        });
    }

    @Test
    void testingShouldDeliverAsMayAndReportAnMxThePolicyDoesNotAllow() {
        HostTls.Connect tls = (HostTls.Connect) resolver(SecurityLevel.DANE, DaneRecords.NONE, domain -> new StsLookup.Found(TESTING))
            .direct("example.org").forHost("mx.attacker.test");

        assertThat(tls.mode()).isEqualTo(HostTls.Mode.MAY);
        assertThat(tls.check()).get().isInstanceOf(WebPkiCheck.class);
        assertThat(tls.report().orElseThrow().policyFailure()).map(TlsFailure::type).contains(ResultType.VALIDATION_FAILURE);
    }

    @Test
    void aPolicyThatCannotBeFetchedShouldCountAsNoneAndBeReported() {
        TlsFailure fetch = new TlsFailure(ResultType.STS_POLICY_FETCH_ERROR, "HTTPS fetch failed");

        HostTls.Connect tls = (HostTls.Connect) resolver(SecurityLevel.DANE, DaneRecords.NONE, domain -> new StsLookup.Failed(fetch))
            .direct("example.org").forHost("mx1.example.org");

        assertThat(tls.mode()).isEqualTo(HostTls.Mode.MAY);
        assertThat(tls.report()).contains(new HostTls.Report("example.org", PolicyType.STS, List.of(), Optional.of(fetch)));
    }

    @Test
    void withoutPoliciesTheLevelShouldApply() {
        HostTls.Connect tls = (HostTls.Connect) resolver(SecurityLevel.DANE, DaneRecords.NONE, StsPolicies.NONE).direct("example.org")
            .forHost("mx1.example.org");

        assertThat(tls).isEqualTo(new HostTls.Connect(HostTls.Mode.MAY, Optional.empty(), "may",
            Optional.of(new HostTls.Report("example.org", PolicyType.NO_POLICY_FOUND, List.of(), Optional.empty()))));
    }

    @Test
    void anMtaStsPolicyInModeNoneShouldBeAsNoPolicyEvenForAnMxItDoesNotList() {
        HostTls tls = resolver(SecurityLevel.DANE, DaneRecords.NONE, domain -> new StsLookup.Found(policy(StsPolicy.Mode.NONE)))
            .direct("example.org").forHost("mx9.elsewhere.org");

        assertThat(tls).isEqualTo(new HostTls.Connect(HostTls.Mode.MAY, Optional.empty(), "may",
            Optional.of(new HostTls.Report("example.org", PolicyType.NO_POLICY_FOUND, List.of(), Optional.empty()))));
    }

    @Test
    void aLevelOtherThanDaneShouldNotAskForTlsa() {
        HostTls.Connect tls = (HostTls.Connect) resolver(SecurityLevel.NONE, signed(USABLE), StsPolicies.NONE).direct("example.org")
            .forHost("mx1.example.org");

        assertThat(tls.mode()).isEqualTo(HostTls.Mode.NONE);
    }

    @Test
    void mtaStsOffShouldNotLookUpPolicies() {
        TlsPolicyResolver resolver = new TlsPolicyResolver(TlsPolicyTable::empty, SecurityLevel.DANE, false, domain -> {
            throw new AssertionError("MTA-STS looked up while off");
        }, DaneRecords.NONE, usable -> DANE_CHECK, TrustAnchors.jdk(), Clock.systemUTC());

        assertThat(((HostTls.Connect) resolver.direct("example.org").forHost("mx1.example.org")).mode()).isEqualTo(HostTls.Mode.MAY);
    }

    @Test
    void aSmartHostShouldHaveItsHopLevelUnlessTheTablePinsIt() {
        TlsPolicyResolver resolver = resolver(TlsPolicyTable.parse(List.of("[relay.example]:587 encrypt"), "tls_policy", any -> null),
            SecurityLevel.DANE, DaneRecords.NONE, StsPolicies.NONE);

        HostTls pinned = resolver.smartHost("relay.example", 587, false, SecurityLevel.NONE, Optional.empty()).forHost("relay.example");
        HostTls.Connect byHop = (HostTls.Connect) resolver.smartHost("relay.example", 25, false, SecurityLevel.VERIFY, Optional.empty())
            .forHost("relay.example");

        assertThat(pinned).isEqualTo(new HostTls.Connect(HostTls.Mode.REQUIRED, Optional.empty(), "encrypt", Optional.empty()));
        assertThat(byHop.mode()).isEqualTo(HostTls.Mode.REQUIRED);
        assertThat(byHop.check()).get().isInstanceOf(WebPkiCheck.class);
        assertThat(byHop.report()).isEmpty();
    }

    @Test
    void aSmartHostShouldNotBeSubjectToMtaSts() {
        TlsPolicyResolver resolver = resolver(SecurityLevel.DANE, DaneRecords.NONE, domain -> new StsLookup.Found(ENFORCE));

        assertThat(((HostTls.Connect) resolver.smartHost("relay.example", 25, false, SecurityLevel.MAY, Optional.empty())
            .forHost("relay.example")).mode()).isEqualTo(HostTls.Mode.MAY);
    }

    @Test
    void anMxUnderAPolicyShouldChainToTheAuthoritiesOfThePolicySource(@TempDir Path folder) throws Exception {
        TestCa ca = TestCa.create("Private CA");
        TrustAnchors privateCa = TrustAnchors.pem(ca.writeCertificate(folder.resolve("ca.pem")));
        List<X509Certificate> chain = ca.issue("mx1.example.org").chain();
        StsPolicies trustingThePrivateCa = new StsPolicies() {
            @Override
            public StsLookup lookup(String domain) {
                return new StsLookup.Found(ENFORCE);
            }

            @Override
            public Optional<TrustAnchors> authorities() {
                return Optional.of(privateCa);
            }
        };
        StsPolicies trustingTheJdk = domain -> new StsLookup.Found(ENFORCE);

        assertThat(mtaStsCheck(trustingThePrivateCa).check(chain, "mx1.example.org")).isEmpty();
        assertThat(mtaStsCheck(trustingTheJdk).check(chain, "mx1.example.org")).map(TlsFailure::type)
            .contains(ResultType.CERTIFICATE_NOT_TRUSTED);
    }

    private static PeerCheck mtaStsCheck(StsPolicies sts) {
        HostTls.Connect tls = (HostTls.Connect) resolver(SecurityLevel.MAY, DaneRecords.NONE, sts).direct("example.org")
            .forHost("mx1.example.org");
        return tls.check().orElseThrow();
    }

    private static TlsPolicyResolver resolver(SecurityLevel level, DaneRecords dane, StsPolicies sts) {
        return resolver(TlsPolicyTable.empty(), level, dane, sts);
    }

    private static TlsPolicyResolver resolver(TlsPolicyTable table, SecurityLevel level, DaneRecords dane, StsPolicies sts) {
        return new TlsPolicyResolver(() -> table, level, true, sts, dane, usable -> DANE_CHECK, TrustAnchors.jdk(), Clock.systemUTC());
    }

    private static DaneRecords signed(TlsaLookup lookup) {
        return new DaneRecords() {
            @Override
            public boolean mxSecure(String domain) {
                return true;
            }

            @Override
            public TlsaLookup tlsa(String host, int port) {
                return lookup;
            }
        };
    }

    private static StsPolicy policy(StsPolicy.Mode mode) {
        return new StsPolicy("example.org", mode, List.of("mx1.example.org", "*.mx.example.org"), Duration.ofDays(7), "20260101",
            List.of("version: STSv1", "mode: " + mode.name().toLowerCase(), "mx: mx1.example.org", "mx: *.mx.example.org",
                "max_age: 604800"));
    }
}
