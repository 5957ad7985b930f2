package io.sendonly.sign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import io.sendonly.dkim.OrganizationalDomain;

class FromAlignmentTest {
    private static FromHeader from(String... addresses) {
        return new FromHeader(List.of(String.join(", ", addresses)), List.of(addresses), Optional.empty());
    }

    private static MaybeSender sender(String address) throws Exception {
        return MaybeSender.of(new MailAddress(address));
    }

    @Test
    void judgeShouldAlignWhenAKeySignsForTheFromDomain() throws Exception {
        FromAlignment.Verdict verdict = FromAlignment.judge(from("app@example.com"), List.of("example.com"), sender("bounce@other.net"));

        assertThat(verdict.aligned()).isTrue();
    }

    @Test
    void judgeShouldAlignWhenTheKeyIsForTheParentOrganizationalDomain() throws Exception {
        FromAlignment.Verdict verdict = FromAlignment.judge(from("app@news.example.com"), List.of("example.com"), MaybeSender.nullSender());

        assertThat(verdict.aligned()).isTrue();
    }

    @Test
    void judgeShouldAlignByTheEnvelopeSenderWithoutKey() throws Exception {
        FromAlignment.Verdict verdict = FromAlignment.judge(from("app@example.com"), List.of(), sender("bounces@mail.example.com"));

        assertThat(verdict.aligned()).isTrue();
    }

    @Test
    void judgeShouldNotAlignWithoutKeyAndWithAnotherEnvelopeDomain() throws Exception {
        FromAlignment.Verdict verdict = FromAlignment.judge(from("app@example.com"), List.of(), sender("app@other.net"));

        assertThat(verdict.problem()).contains(
            "From domain example.com cannot align with DMARC: no DKIM key for it and the envelope sender app@other.net is another domain");
    }

    @Test
    void judgeShouldNotAlignAcrossAPublicSuffix() throws Exception {
        FromAlignment.Verdict verdict = FromAlignment.judge(from("app@a.co.uk"), List.of("b.co.uk"), sender("app@b.co.uk"));

        assertThat(verdict.problem()).contains("From domain a.co.uk cannot align with DMARC: its DKIM key is for another domain (d=b.co.uk)"
            + " and the envelope sender app@b.co.uk is another domain");
    }

    @Test
    void judgeShouldNotAlignANullSenderWithoutKey() {
        FromAlignment.Verdict verdict = FromAlignment.judge(from("app@example.com"), List.of(), MaybeSender.nullSender());

        assertThat(verdict.problem()).contains(
            "From domain example.com cannot align with DMARC: no DKIM key for it and the envelope sender is null (<>)");
    }

    @Test
    void judgeShouldRequireEveryFromDomainToAlign() throws Exception {
        FromAlignment.Verdict verdict = FromAlignment.judge(from("app@example.com", "ceo@example.org"), List.of(), sender("app@example.com"));

        assertThat(verdict.fromDomains()).isEqualTo("example.com,example.org");
        assertThat(verdict.problem()).hasValueSatisfying(problem -> assertThat(problem).startsWith("From domain example.org cannot align"));
    }

    @Test
    void judgeShouldNotAlignWithoutFromAddress() throws Exception {
        FromAlignment.Verdict verdict = FromAlignment.judge(new FromHeader(List.of(), List.of(), Optional.empty()), List.of("example.com"),
            sender("app@example.com"));

        assertThat(verdict.problem()).contains("Message has no From address: DMARC cannot align");
    }

    @ParameterizedTest
    @ValueSource(strings = {"www-data", "www-data@"})
    void judgeShouldNotAlignAnAddressWithoutDomain(String address) throws Exception {
        FromAlignment.Verdict verdict = FromAlignment.judge(from(address), List.of("example.com"), sender("app@example.com"));

        assertThat(verdict.problem()).contains("From address " + address + " has no domain: DMARC cannot align");
    }

    @Test
    void judgeShouldNotAlignAnUnparsableFrom() throws Exception {
        FromAlignment.Verdict verdict = FromAlignment.judge(new FromHeader(List.of("a@@example.com"), List.of(), Optional.of("a@@example.com")),
            List.of("example.com"), sender("app@example.com"));

        assertThat(verdict.aligned()).isFalse();
    }
}
