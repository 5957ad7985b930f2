package io.sendonly.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OrganizationalDomainTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "example.com, example.com",
        "news.example.com, example.com",
        "a.b.example.com, example.com",
        "News.Example.COM., example.com",
        "a.co.uk, a.co.uk",
        "mail.a.co.uk, a.co.uk",
        "co.uk, co.uk",
        "someone.github.io, someone.github.io",
        "mail.example.test, example.test",
        "localhost, localhost",
    })
    void ofShouldGiveTheNameRegisteredUnderThePublicSuffix(String domain, String expected) {
        assertThat(OrganizationalDomain.of(domain)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
        "news.example.com, example.com, true",
        "example.com, bounces.example.com, true",
        "example.com, example.org, false",
        "a.co.uk, b.co.uk, false",
        "x.a.co.uk, y.a.co.uk, true",
        "alice.github.io, bob.github.io, false",
        "example.com, example.com.evil.net, false",
    })
    void alignedShouldCompareOrganizationalDomains(String first, String second, boolean aligned) {
        assertThat(OrganizationalDomain.aligned(first, second)).isEqualTo(aligned);
    }
}
