package io.sendonly.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DANE before MTA-STS (RFC 8461 section 2) with DANE's real parts: {@link ResolverDaneRecords} against unbound on
 * 127.0.0.82 ({@link DaneTestZones}) and {@link DaneCheck}, decided by {@link TlsPolicyResolver}. The MTA-STS side is
 * a fixed {@code enforce} policy whose {@code mx} pattern allows none of the MX hosts, standing in for the MTA-STS
 * implementation.
 */
class DanePrecedenceTest {
    @RegisterExtension
    static final DaneTestZones ZONES = new DaneTestZones("127.0.0.82");

    @Test
    void validatedTlsaRecordsShouldBeatAnEnforcedMtaStsPolicyThatDoesNotAllowTheMx() {
        HostTls tls = resolver().direct("dane.test").forHost("mx.dane.test");

        assertThat(tls).isInstanceOfSatisfying(HostTls.Connect.class, connect -> {
            assertThat(connect.mode()).isEqualTo(HostTls.Mode.REQUIRED);
            assertThat(connect.check()).containsInstanceOf(DaneCheck.class);
            assertThat(connect.report()).map(HostTls.Report::type).contains(PolicyType.TLSA);
        });
    }

    @Test
    void anUnsignedDomainShouldBeHeldToItsEnforcedMtaStsPolicy() {
        HostTls tls = resolver().direct("plain.test").forHost("mx.plain.test");

        assertThat(tls).isInstanceOfSatisfying(HostTls.Refused.class,
            refused -> assertThat(refused.report()).map(HostTls.Report::type).contains(PolicyType.STS));
    }

    @Test
    void aSignedMxWithoutTlsaShouldFallToTheEnforcedMtaStsPolicy() {
        HostTls tls = resolver().direct("dane.test").forHost("none.dane.test");

        assertThat(tls).isInstanceOf(HostTls.Refused.class);
    }

    private static TlsPolicyResolver resolver() {
        StsPolicies enforcing = domain -> new StsLookup.Found(new StsPolicy(domain, StsPolicy.Mode.ENFORCE,
            List.of("mail.elsewhere.example"), Duration.ofDays(1), "20261130", List.of("version: STSv1", "mode: enforce",
            "mx: mail.elsewhere.example", "max_age: 86400")));
        DaneRecords dane = ResolverDaneRecords.using(ResolverDaneRecords.parseAddress(ZONES.address()), Duration.ofSeconds(5),
            Clock.systemUTC());
        return new TlsPolicyResolver(TlsPolicyTable::empty, SecurityLevel.DANE, true, enforcing, dane,
            DaneCheck.factory(Clock.systemUTC()), TrustAnchors.jdk(), Clock.systemUTC());
    }
}
