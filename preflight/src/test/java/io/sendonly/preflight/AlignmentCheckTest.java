package io.sendonly.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class AlignmentCheckTest {
    private static final DmarcCheck.Dmarc RELAXED = new DmarcCheck.Dmarc("_dmarc.example.com", Map.of("p", "none"),
        Check.of(Check.DMARC, Status.WARN, ""));
    private static final DmarcCheck.Dmarc STRICT = new DmarcCheck.Dmarc("_dmarc.example.com", Map.of("p", "none", "adkim", "s"),
        Check.of(Check.DMARC, Status.WARN, ""));

    private static SendingDomain signedBy(String from, String keyDomain) {
        return new SendingDomain(from, Optional.of(new SendingDomain.SigningKey("k", keyDomain, "s", Path.of("k"))), List.of());
    }

    @Test
    void checkShouldPassWhenTheKeyIsOfTheSameOrganisationalDomain() {
        Check check = AlignmentCheck.check(signedBy("news.example.com", "example.com"), RELAXED, Status.PASS, Status.FAIL);

        assertThat(check.status()).isEqualTo(Status.PASS);
        assertThat(check.detail()).startsWith("DKIM aligns");
    }

    @Test
    void checkShouldNotAlignASubdomainKeyUnderStrictDkimAlignment() {
        Check check = AlignmentCheck.check(signedBy("news.example.com", "example.com"), STRICT, Status.PASS, Status.FAIL);

        assertThat(check.status()).isEqualTo(Status.FAIL);
    }

    @Test
    void checkShouldFailWhenTheKeyIsOfAnotherOrganisationAndSpfDoesNotPass() {
        Check check = AlignmentCheck.check(signedBy("example.com", "example.net"), RELAXED, Status.PASS, Status.FAIL);

        assertThat(check.status()).isEqualTo(Status.FAIL);
        assertThat(check.detail()).contains("d=example.net is in another organisational domain");
    }

    @Test
    void checkShouldPassThroughSpfWhenTheKeyDoesNotAlign() {
        Check check = AlignmentCheck.check(signedBy("example.com", "example.net"), RELAXED, Status.PASS, Status.PASS);

        assertThat(check.status()).isEqualTo(Status.PASS);
        assertThat(check.detail()).startsWith("SPF aligns");
    }

    @Test
    void checkShouldFailWithoutKeyNorSpf() {
        SendingDomain unsigned = new SendingDomain("example.com", Optional.empty(), List.of());

        assertThat(AlignmentCheck.check(unsigned, RELAXED, Status.FAIL, Status.FAIL).detail()).contains("no key signs its mail");
    }
}
