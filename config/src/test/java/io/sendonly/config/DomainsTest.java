package io.sendonly.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DomainsTest {
    private static final String LABEL_63 = "a".repeat(63);

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "Example.COM", "mail.ex-ample.co.uk", "x1.io"})
    void isDomainShouldAcceptMailDomains(String value) {
        assertThat(Domains.isDomain(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost", "example", "example.com.", "-a.com", "a-.com", "a..com", "example.c0m",
        "exa mple.com", "example.com\n", "[127.0.0.1]", "1.2.3.4"})
    void isDomainShouldRefuseOtherValues(String value) {
        assertThat(Domains.isDomain(value)).isFalse();
    }

    @Test
    void isDomainShouldRefuseALabelOfMoreThan63Characters() {
        assertThat(Domains.isDomain(LABEL_63 + ".com")).isTrue();
        assertThat(Domains.isDomain(LABEL_63 + "a.com")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "mx.example.com", "mx.example.com.", "MX1", "host-2"})
    void isHostNameShouldAcceptSingleLabelsAndATrailingDot(String value) {
        assertThat(Domains.isHostName(value)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "-x", "a..b", "a b", "a_b", "*.example.com"})
    void isHostNameShouldRefuseOtherValues(String value) {
        assertThat(Domains.isHostName(value)).isFalse();
    }

    @Test
    void isLabelShouldAcceptOneLabelOnly() {
        assertThat(Domains.isLabel("mail2026")).isTrue();
        assertThat(Domains.isLabel("a.b")).isFalse();
        assertThat(Domains.isLabel("-a")).isFalse();
    }

    @Test
    void domainShouldGiveLowerCase() {
        assertThat(Domains.domain("domain", "Example.COM")).isEqualTo("example.com");
    }

    @Test
    void domainShouldNameTheFieldAndTheValue() {
        assertThatThrownBy(() -> Domains.domain("defaultDomain", "localhost"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("defaultDomain: 'localhost': expected a domain name, e.g. example.com");
    }

    @Test
    void domainOrSubdomainsShouldAcceptALeadingDot() {
        assertThat(Domains.domainOrSubdomains("domain", ".Example.org")).isEqualTo(".example.org");
        assertThat(Domains.domainOrSubdomains("domain", "example.org")).isEqualTo("example.org");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..example.org", ".", "example", "*.example.org"})
    void domainOrSubdomainsShouldRefuseOtherValues(String value) {
        assertThatThrownBy(() -> Domains.domainOrSubdomains("domain", value))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("domain: '" + value + "': expected example.org, or .example.org for its subdomains");
    }
}
