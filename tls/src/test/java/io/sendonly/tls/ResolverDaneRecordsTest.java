package io.sendonly.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sendonly.server.testing.SettableClock;
import io.sendonly.server.testing.Unbound;

/** Against a real validating resolver: unbound on 127.0.0.80:53 serving {@link DaneTestZones}. */
class ResolverDaneRecordsTest {
    @RegisterExtension
    static final DaneTestZones ZONES = new DaneTestZones("127.0.0.80");

    @Test
    void mxSecureShouldBeTrueWhenSignedZoneMxIsValidated() {
        assertThat(records().mxSecure("dane.test")).isTrue();
    }

    @Test
    void mxSecureShouldBeTrueWhenSignedZoneWithoutMxHasValidatedAddress() {
        assertThat(records().mxSecure("mx.dane.test")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain.test", "mx.plain.test", "nowhere.dane.test"})
    void mxSecureShouldBeFalseWhenAnswerIsInsecureOrAbsent(String domain) {
        assertThat(records().mxSecure(domain)).isFalse();
    }

    @Test
    void tlsaShouldBeUsableWhenSignedRecordsHaveDaneUsage() {
        assertThat(records().tlsa("mx.dane.test", 25)).isInstanceOfSatisfying(TlsaLookup.Usable.class, usable -> {
            assertThat(usable.records()).singleElement().satisfies(record -> {
                assertThat(record.usage()).isEqualTo(3);
                assertThat(record.selector()).isEqualTo(1);
                assertThat(record.matchingType()).isEqualTo(1);
                assertThat(record.data()).hasSize(32);
            });
            assertThat(usable.presentation()).singleElement().asString().isEqualToIgnoringCase(DaneTestZones.KEY_HASH);
        });
    }

    @Test
    void tlsaShouldFollowCnameToTheRecords() {
        assertThat(records().tlsa("alias.dane.test", 25)).isInstanceOf(TlsaLookup.Usable.class);
    }

    @Test
    void tlsaShouldKeepOnlyDaneUsagesWhenMixed() {
        assertThat(records().tlsa("mixed.dane.test", 25)).isInstanceOfSatisfying(TlsaLookup.Usable.class,
            usable -> {
                assertThat(usable.records()).extracting(TlsaLookup.Tlsa::usage).containsExactly(2);
                assertThat(usable.presentation()).hasSize(2);
            });
    }

    @ParameterizedTest
    @ValueSource(strings = {"mx.plain.test", "none.dane.test", "pkix.dane.test"})
    void tlsaShouldBeUnusableWhenInsecureAbsentOrPkixOnly(String host) {
        assertThat(records().tlsa(host, 25)).isInstanceOf(TlsaLookup.Unusable.class);
    }

    @Test
    void tlsaShouldBeUnusableWhenAnotherPortHasNone() {
        assertThat(records().tlsa("mx.dane.test", 465)).isInstanceOf(TlsaLookup.Unusable.class);
    }

    @Test
    void tlsaShouldFailWithDnssecInvalidWhenSignatureIsBogus() {
        assertThat(records().tlsa("bogus.dane.test", 25)).isInstanceOfSatisfying(TlsaLookup.Failed.class,
            failed -> assertThat(failed.failure().type()).isEqualTo(ResultType.DNSSEC_INVALID));
    }

    @Test
    void tlsaShouldFailWithTlsaInvalidWhenDaneRecordsAreMalformed() {
        assertThat(records().tlsa("malformed.dane.test", 25)).isInstanceOfSatisfying(TlsaLookup.Failed.class,
            failed -> assertThat(failed.failure().type()).isEqualTo(ResultType.TLSA_INVALID));
    }

    @Test
    void tlsaShouldFailWhenResolverDoesNotAnswer() {
        ResolverDaneRecords silent = ResolverDaneRecords.using(ResolverDaneRecords.parseAddress("127.0.0.89:9"), Duration.ofMillis(300), Clock.systemUTC());

        assertThat(silent.tlsa("mx.dane.test", 25)).isInstanceOf(TlsaLookup.Failed.class);
    }

    @Test
    void tlsaShouldAnswerFromCacheUntilTheTtlEnds() throws Exception {
        SettableClock clock = new SettableClock(Instant.now());
        ResolverDaneRecords records;
        try (Unbound own = DaneTestZones.start("127.0.0.81")) {
            records = ResolverDaneRecords.using(ResolverDaneRecords.parseAddress("127.0.0.81"), Duration.ofMillis(500), clock);
            assertThat(records.tlsa("mx.dane.test", 25)).isInstanceOf(TlsaLookup.Usable.class);
            assertThat(records.tlsa("none.dane.test", 25)).isInstanceOf(TlsaLookup.Unusable.class);
        }

        // Both TTLs are 300 s: the records', and the SOA minimum for the NXDOMAIN.
        clock.advance(Duration.ofSeconds(299));
        assertThat(records.tlsa("mx.dane.test", 25)).isInstanceOf(TlsaLookup.Usable.class);
        assertThat(records.tlsa("none.dane.test", 25)).isInstanceOf(TlsaLookup.Unusable.class);
        clock.advance(Duration.ofSeconds(2));
        assertThat(records.tlsa("mx.dane.test", 25)).isInstanceOf(TlsaLookup.Failed.class);
        assertThat(records.tlsa("none.dane.test", 25)).isInstanceOf(TlsaLookup.Failed.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:5353", "[::1]", "[::1]:53"})
    void parseAddressShouldAcceptIpLiteralsWithOptionalPort(String address) {
        InetSocketAddress parsed = ResolverDaneRecords.parseAddress(address);

        assertThat(parsed.getAddress().isLoopbackAddress()).isTrue();
        assertThat(parsed.getPort()).isEqualTo(address.endsWith("5353") ? 5353 : 53);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resolver.example", "127.0.0.1:0", "127.0.0.1:70000", "::1", "", "999.1.1.1", "127.1",
        "[1:::2]", "[]"})
    void parseAddressShouldRejectWhatIsNotAnIpLiteralWithValidPort(String address) {
        assertThatThrownBy(() -> ResolverDaneRecords.parseAddress(address))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'" + address + "'");
    }

    private static ResolverDaneRecords records() {
        return ResolverDaneRecords.using(ResolverDaneRecords.parseAddress(ZONES.address()), Duration.ofSeconds(5), Clock.systemUTC());
    }
}
