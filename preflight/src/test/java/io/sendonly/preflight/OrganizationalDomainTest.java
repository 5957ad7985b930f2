package io.sendonly.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrganizationalDomainTest {
    @ParameterizedTest
    @CsvSource({
        "mail.example.com, example.com",
        "example.com, example.com",
        "news.shop.example.co.uk, example.co.uk",
        "example.co.uk, example.co.uk",
        "billing.example.test, example.test",
        "co.uk, co.uk",
    })
    void ofShouldBeThePublicSuffixAndOneLabel(String domain, String organisational) {
        assertThat(OrganizationalDomain.of(domain)).isEqualTo(organisational);
    }

    @ParameterizedTest
    @CsvSource({
        "mail.example.com, example.com, true",
        "example.com, news.example.com, true",
        "example.co.uk, other.co.uk, false",
        "example.test, example.org, false",
    })
    void alignedShouldCompareOrganisationalDomains(String a, String b, boolean aligned) {
        assertThat(OrganizationalDomain.aligned(a, b)).isEqualTo(aligned);
    }
}
