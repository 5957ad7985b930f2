package io.sendonly.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sendonly.server.testing.TestCa;

class WebPkiCheckTest {
    private static TestCa ca;
    private static TrustAnchors anchors;

    @BeforeAll
    static void authority(@TempDir Path folder) throws Exception {
        ca = TestCa.create("WebPKI test CA");
        anchors = TrustAnchors.pem(ca.writeCertificate(folder.resolve("ca.pem")));
    }

    @Test
    void checkShouldPassWhenTheChainIsTrustedAndNamesTheHost() throws Exception {
        TestCa.Issued issued = ca.issue("mx1.example.org");

        assertThat(hostName().check(issued.chain(), "mx1.example.org")).isEmpty();
    }

    @Test
    void checkShouldFailHostMismatchWhenTheCertificateNamesAnotherHost() throws Exception {
        TestCa.Issued issued = ca.issue("mx2.example.org");

        assertThat(hostName().check(issued.chain(), "mx1.example.org")).map(TlsFailure::type)
            .contains(ResultType.CERTIFICATE_HOST_MISMATCH);
    }

    @Test
    void checkShouldFailNotTrustedWhenAnotherAuthorityIssuedTheCertificate() throws Exception {
        TestCa.Issued issued = TestCa.create("Other CA").issue("mx1.example.org");

        assertThat(hostName().check(issued.chain(), "mx1.example.org")).map(TlsFailure::type)
            .contains(ResultType.CERTIFICATE_NOT_TRUSTED);
    }

    @Test
    void checkShouldFailNotTrustedAgainstTheJdkAuthoritiesForATestCertificate() throws Exception {
        TestCa.Issued issued = ca.issue("mx1.example.org");

        assertThat(WebPkiCheck.ofHostName(TrustAnchors.jdk(), Clock.systemUTC()).check(issued.chain(), "mx1.example.org"))
            .map(TlsFailure::type).contains(ResultType.CERTIFICATE_NOT_TRUSTED);
    }

    @Test
    void checkShouldFailExpiredWhenTheCertificateIsPastItsValidity() throws Exception {
        Instant now = Instant.now();
        TestCa.Issued issued = ca.issue(now.minus(10, ChronoUnit.DAYS), now.minus(1, ChronoUnit.DAYS), "mx1.example.org");

        assertThat(hostName().check(issued.chain(), "mx1.example.org")).map(TlsFailure::type)
            .contains(ResultType.CERTIFICATE_EXPIRED);
    }

    @Test
    void checkShouldFailExpiredWhenTheClockIsPastTheCertificate() throws Exception {
        TestCa.Issued issued = ca.issue("mx1.example.org");
        Clock later = Clock.fixed(Instant.now().plus(30, ChronoUnit.DAYS), java.time.ZoneOffset.UTC);

        assertThat(new WebPkiCheck(anchors, List.of(WebPkiCheck.HOSTNAME), later).check(issued.chain(), "mx1.example.org"))
            .map(TlsFailure::type).contains(ResultType.CERTIFICATE_EXPIRED);
    }

    @Test
    void checkShouldUseTheCommonNameWhenThereIsNoDnsName() throws Exception {
        TestCa.Issued issued = ca.issueCommonNameOnly("mx1.example.org");

        assertThat(hostName().check(issued.chain(), "mx1.example.org")).isEmpty();
    }

    @Test
    void checkShouldIgnoreTheCommonNameWhenTheCertificateHasDnsNames() throws Exception {
        TestCa.Issued issued = ca.issue("mx1.example.org", "mx9.example.org");

        assertThat(hostName().check(issued.chain(), "mx9.example.org")).isEmpty();
        assertThat(new WebPkiCheck(anchors, List.of("mx1.example.org"), Clock.systemUTC()).check(issued.chain(), "other"))
            .isEmpty();
    }

    @Test
    void checkShouldMatchTheGivenNamesInsteadOfTheHost() throws Exception {
        TestCa.Issued issued = ca.issue("mail.example.org");
        WebPkiCheck check = new WebPkiCheck(anchors, List.of("example.org", ".example.org"), Clock.systemUTC());

        assertThat(check.check(issued.chain(), "mx.attacker.test")).isEmpty();
        assertThat(check.check(ca.issue("mail.example.net").chain(), "mail.example.net")).isPresent();
    }

    @ParameterizedTest
    @CsvSource({
        "*.example.org, mx.example.org, true",
        "*.example.org, example.org, false",
        "*.example.org, a.mx.example.org, false",
        "m*.example.org, mx.example.org, false",
        "mx.*.example.org, mx.a.example.org, false",
        "*.org, example.org, false",
        "MX.Example.ORG, mx.example.org, true",
        "mx.example.org, .example.org, true",
        "*.example.org, .example.org, true",
        "*.a.example.org, .example.org, true",
        "example.org, .example.org, false",
    })
    void matchesShouldFollowRfc6125(String presented, String reference, boolean expected) {
        assertThat(WebPkiCheck.matches(presented.toLowerCase(), reference)).isEqualTo(expected);
    }

    @Test
    void checkShouldAcceptAWildcardCertificateForOneLabel() throws Exception {
        TestCa.Issued issued = ca.issue("*.example.org");

        assertThat(hostName().check(issued.chain(), "mx1.example.org.")).isEmpty();
        assertThat(hostName().check(issued.chain(), "a.mx1.example.org")).isPresent();
    }

    @Test
    void checkShouldFailWithoutACertificate() {
        assertThat(hostName().check(List.of(), "mx1.example.org")).map(TlsFailure::type).isEqualTo(Optional.of(ResultType.VALIDATION_FAILURE));
    }

    private static WebPkiCheck hostName() {
        return WebPkiCheck.ofHostName(anchors, Clock.systemUTC());
    }
}
