package io.sendonly.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.sendonly.dkim.KeyTable;
import io.sendonly.dkim.SigningTable;

class SendingDomainsTest {
    private static final KeyTable KEYS = KeyTable.parse(List.of(
        "shared  %:mail:keys/shared.private",
        "parent  example.com:s1:keys/parent.private"), "KeyTable");
    private static final SigningTable SIGNING = SigningTable.parse(List.of(
        "*@example.org        shared",
        "billing@example.net  shared",
        "*@*.example.com      parent",
        "*@example.org        parent"), "SigningTable", true);

    private final SendingDomains domains = new SendingDomains(KEYS, SIGNING, Path.of("/conf/dkim"), "Example.org",
        domain -> domain.equals("example.net") ? List.of("smtp.relay.example") : List.of());

    @Test
    void allShouldBeTheDomainsOfThePatternsThenTheDefaultDomainEachOnce() {
        assertThat(domains.all()).extracting(SendingDomain::domain).containsExactly("example.org", "example.net");
    }

    @Test
    void allShouldGiveEachDomainTheFirstKeyThatSignsItAndItsSmartHosts() {
        List<SendingDomain> all = domains.all();

        assertThat(all.get(0).signingKey()).contains(
            new SendingDomain.SigningKey("shared", "example.org", "mail", Path.of("/conf/dkim/keys/shared.private")));
        assertThat(all.get(0).direct()).isTrue();
        assertThat(all.get(1).smartHosts()).containsExactly("smtp.relay.example");
        assertThat(all.get(1).signingKey().orElseThrow().name()).as("the key of billing@example.net").isEqualTo("shared");
    }

    @Test
    void findShouldTakeASubdomainAWildcardPatternSigns() {
        assertThat(domains.find("news.example.com").orElseThrow().signingKey().orElseThrow().domain()).isEqualTo("example.com");
        assertThat(domains.find("EXAMPLE.ORG")).isPresent();
        assertThat(domains.find("example.net")).isPresent();
        assertThat(domains.find("example.info")).isEmpty();
    }
}
