package io.sendonly.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.sendonly.server.testing.TestCa;
import io.sendonly.tls.TlsaLookup.Tlsa;

class DaneCheckTest {
    private static final String MX = "mx.dane.test";
    private static final Clock NOW = Clock.fixed(Instant.now(), ZoneOffset.UTC);

    private static TestCa root;
    private static TestCa intermediate;
    /** mx.dane.test, issued by the intermediate: its own certificate, the intermediate's, the root's. */
    private static TestCa.Issued server;
    private static TestCa.Issued otherServer;

    @BeforeAll
    static void certificates() throws Exception {
        root = TestCa.create("DANE test root");
        intermediate = root.intermediate("DANE test intermediate");
        server = intermediate.issue(MX);
        otherServer = TestCa.create("Other root").issue(MX);
    }

    /** Usages 2 and 3, each with every selector and matching type. */
    static Stream<Arguments> everyUsableParameter() {
        List<Arguments> cases = new ArrayList<>();
        for (int usage : new int[] {2, 3}) {
            for (int selector : new int[] {0, 1}) {
                for (int matchingType : new int[] {0, 1, 2}) {
                    cases.add(Arguments.of(usage, selector, matchingType));
                }
            }
        }
        return cases.stream();
    }

    /** DANE-EE records name the host's own certificate, DANE-TA records its chain's root. */
    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everyUsableParameter")
    void checkShouldPassWhenRecordMatchesTheChain(int usage, int selector, int matchingType) throws Exception {
        X509Certificate matching = usage == 3 ? server.certificate() : root.certificate();

        assertThat(check(record(usage, selector, matchingType, matching)).check(server.chain(), MX)).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everyUsableParameter")
    void checkShouldFailWhenRecordMatchesAnotherChain(int usage, int selector, int matchingType) throws Exception {
        X509Certificate other = usage == 3 ? otherServer.certificate() : otherServer.chain().get(1);

        assertThat(check(record(usage, selector, matchingType, other)).check(server.chain(), MX))
            .map(TlsFailure::type).contains(ResultType.VALIDATION_FAILURE);
    }

    @Test
    void checkShouldPassWhenDaneTaRecordMatchesTheIntermediate() throws Exception {
        assertThat(check(record(2, 1, 1, intermediate.certificate())).check(server.chain(), MX)).isEmpty();
    }

    @Test
    void checkShouldIgnoreNamesAndDatesWhenDaneEeRecordMatches() throws Exception {
        TestCa.Issued expired = root.issue(NOW.instant().minus(10, ChronoUnit.DAYS), NOW.instant().minus(5, ChronoUnit.DAYS),
            "elsewhere.example");

        assertThat(check(record(3, 1, 1, expired.certificate())).check(expired.chain(), MX)).isEmpty();
    }

    @Test
    void checkShouldFailWithHostMismatchWhenDaneTaChainNamesAnotherHost() throws Exception {
        TestCa.Issued elsewhere = intermediate.issue("elsewhere.dane.test");

        assertThat(check(record(2, 1, 1, root.certificate())).check(elsewhere.chain(), MX)).map(TlsFailure::type)
            .contains(ResultType.CERTIFICATE_HOST_MISMATCH);
    }

    @Test
    void checkShouldFailWithExpiredWhenDaneTaChainHostCertificateExpired() throws Exception {
        TestCa.Issued expired = intermediate.issue(NOW.instant().minus(10, ChronoUnit.DAYS), NOW.instant().minus(5, ChronoUnit.DAYS), MX);

        assertThat(check(record(2, 1, 1, root.certificate())).check(expired.chain(), MX)).map(TlsFailure::type)
            .contains(ResultType.CERTIFICATE_EXPIRED);
    }

    @Test
    void checkShouldFailWhenDaneTaChainIsNotSignedUpToTheAnchor() throws Exception {
        // The host's certificate and a forged "intermediate" of the same name under the matching root.
        TestCa forged = TestCa.create("DANE test root").intermediate("DANE test intermediate");
        List<X509Certificate> chain = List.of(server.certificate(), forged.certificate(), root.certificate());

        assertThat(check(record(2, 0, 1, root.certificate())).check(chain, MX)).map(TlsFailure::type)
            .contains(ResultType.VALIDATION_FAILURE);
    }

    @Test
    void checkShouldAcceptWildcardForOneLeftmostLabelWhenDaneTa() throws Exception {
        TestCa.Issued wildcard = intermediate.issue("*.dane.test");

        assertThat(check(record(2, 1, 1, root.certificate())).check(wildcard.chain(), MX)).isEmpty();
        assertThat(check(record(2, 1, 1, root.certificate())).check(wildcard.chain(), "a.mx.dane.test"))
            .map(TlsFailure::type).contains(ResultType.CERTIFICATE_HOST_MISMATCH);
    }

    @Test
    void checkShouldIgnorePkixUsagesWhenTheyMatch() throws Exception {
        Tlsa caConstraint = record(0, 1, 1, root.certificate());
        Tlsa serviceConstraint = record(1, 1, 1, server.certificate());

        assertThat(check(caConstraint, serviceConstraint).check(server.chain(), MX)).map(TlsFailure::type)
            .contains(ResultType.VALIDATION_FAILURE);
    }

    @Test
    void checkShouldPassWhenAnyRecordMatches() throws Exception {
        Tlsa stale = record(3, 1, 1, otherServer.certificate());
        Tlsa current = record(3, 1, 1, server.certificate());

        assertThat(check(stale, current).check(server.chain(), MX)).isEmpty();
    }

    @Test
    void checkShouldFailWhenHostPresentsNoCertificate() throws Exception {
        assertThat(check(record(3, 1, 1, server.certificate())).check(List.of(), MX)).map(TlsFailure::type)
            .contains(ResultType.VALIDATION_FAILURE);
    }

    @Test
    void failureShouldNameTheHost() throws Exception {
        Optional<TlsFailure> failure = check(record(3, 1, 1, otherServer.certificate())).check(server.chain(), MX);

        assertThat(failure).map(TlsFailure::reason).hasValueSatisfying(reason -> assertThat(reason).contains(MX));
    }

    private static DaneCheck check(Tlsa... records) {
        List<String> presentation = Stream.of(records).map(record -> record.usage() + " " + record.selector() + " "
            + record.matchingType() + " " + HexFormat.of().formatHex(record.data())).toList();
        return new DaneCheck(new TlsaLookup.Usable(List.of(records), presentation), NOW);
    }

    private static Tlsa record(int usage, int selector, int matchingType, X509Certificate certificate) throws Exception {
        byte[] selected = selector == 0 ? certificate.getEncoded() : certificate.getPublicKey().getEncoded();
        byte[] data = switch (matchingType) {
            case 0 -> selected;
            case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
            default -> MessageDigest.getInstance("SHA-512").digest(selected);
        };
        return new Tlsa(usage, selector, matchingType, data);
    }
}
