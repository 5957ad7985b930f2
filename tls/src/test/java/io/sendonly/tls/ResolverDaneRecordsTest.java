package io.sendonly.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sendonly.dkim.DebianTools;
import io.sendonly.server.testing.Dnsmasq;
import io.sendonly.server.testing.SettableClock;
import io.sendonly.server.testing.Unbound;

/**
 * Against a real validating resolver: unbound on 127.0.0.80:53 serving {@code dane.test} (signed, its
 * {@code _25._tcp.bogus} TLSA signature spoiled) and {@code plain.test} (unsigned). Needs root, unbound and ldnsutils.
 */
class ResolverDaneRecordsTest {
    private static final String RESOLVER = "127.0.0.80";
    private static final String KEY_HASH = "3 1 1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static Unbound unbound;

    @BeforeAll
    static void startResolver() throws Exception {
        unbound = start(RESOLVER);
    }

    @AfterAll
    static void stopResolver() throws Exception {
        if (unbound != null) {
            unbound.close();
        }
    }

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
            assertThat(usable.presentation()).singleElement().asString().isEqualToIgnoringCase(KEY_HASH);
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
        try (Unbound own = start("127.0.0.81")) {
            records = ResolverDaneRecords.using(ResolverDaneRecords.parseAddress("127.0.0.81"), Duration.ofMillis(500), clock);
            assertThat(records.tlsa("mx.dane.test", 25)).isInstanceOf(TlsaLookup.Usable.class);
        }

        clock.advance(Duration.ofSeconds(299));
        assertThat(records.tlsa("mx.dane.test", 25)).isInstanceOf(TlsaLookup.Usable.class);
        clock.advance(Duration.ofSeconds(2));
        assertThat(records.tlsa("mx.dane.test", 25)).isInstanceOf(TlsaLookup.Failed.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.1:5353", "[::1]", "[::1]:53"})
    void parseAddressShouldAcceptIpLiteralsWithOptionalPort(String address) {
        InetSocketAddress parsed = ResolverDaneRecords.parseAddress(address);

        assertThat(parsed.getAddress().isLoopbackAddress()).isTrue();
        assertThat(parsed.getPort()).isEqualTo(address.endsWith("5353") ? 5353 : 53);
    }

    @ParameterizedTest
    @ValueSource(strings = {"resolver.example", "127.0.0.1:0", "127.0.0.1:70000", "::1", "", "999.1.1.1"})
    void parseAddressShouldRejectWhatIsNotAnIpLiteralWithValidPort(String address) {
        assertThatThrownBy(() -> ResolverDaneRecords.parseAddress(address))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("'" + address + "'");
    }

    private static ResolverDaneRecords records() {
        return ResolverDaneRecords.using(ResolverDaneRecords.parseAddress(RESOLVER), Duration.ofSeconds(5), Clock.systemUTC());
    }

    private static Unbound start(String address) throws Exception {
        DebianTools.require(DebianTools.isRoot(), "a DNS server on port 53 needs root");
        DebianTools.require(Unbound.installed(), "unbound and ldnsutils are not installed");
        try {
            return Unbound.on(address)
                .zone(Unbound.Zone.signed("dane.test")
                    .mx("@", "mx.dane.test.")
                    .a("mx", "127.0.0.82")
                    .tlsa("mx", 25, KEY_HASH)
                    .record("_25._tcp.alias IN CNAME _25._tcp.mx")
                    .tlsa("mixed", 25, "1 1 1 " + "ab".repeat(32))
                    .tlsa("mixed", 25, "2 0 1 " + "cd".repeat(32))
                    .tlsa("pkix", 25, "0 1 1 " + "ab".repeat(32))
                    .tlsa("malformed", 25, "3 1 1 00112233")
                    .mx("bogus", "mx.bogus.dane.test.")
                    .tlsa("bogus", 25, KEY_HASH)
                    .bogus("_25._tcp.bogus", "TLSA"))
                .zone(Unbound.Zone.unsigned("plain.test")
                    .mx("@", "mx.plain.test.")
                    .a("mx", "127.0.0.83")
                    .tlsa("mx", 25, KEY_HASH))
                .start();
        } catch (Dnsmasq.PortTakenException e) {
            DebianTools.require(false, e.getMessage());
            throw e;
        }
    }
}
