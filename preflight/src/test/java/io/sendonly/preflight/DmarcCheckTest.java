package io.sendonly.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DmarcCheckTest {
    private final FakeDns dns = new FakeDns();

    @Test
    void lookupShouldFailWithARecordToPublishAtTheOrganisationalDomainWhenThereIsNone() {
        DmarcCheck.Dmarc dmarc = DmarcCheck.lookup("news.example.com", dns);

        assertThat(dmarc.check().status()).isEqualTo(Status.FAIL);
        assertThat(dmarc.check().detail()).contains("no DMARC record for news.example.com nor example.com");
        assertThat(dmarc.check().record())
            .contains("_dmarc.example.com. TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@example.com\"");
    }

    @Test
    void lookupShouldPassForAnEnforcingPolicy() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; rua=mailto:d@example.com");

        assertThat(DmarcCheck.lookup("example.com", dns).check().status()).isEqualTo(Status.PASS);
    }

    @Test
    void lookupShouldWarnForPolicyNoneAndSayItMeetsTheBulkSenderRule() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=none");

        DmarcCheck.Dmarc dmarc = DmarcCheck.lookup("example.com", dns);

        assertThat(dmarc.check().status()).isEqualTo(Status.WARN);
        assertThat(dmarc.check().detail()).contains("p=none meets that");
    }

    @Test
    void lookupShouldUseTheSubdomainPolicyOfTheOrganisationalDomain() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=reject; sp=none; adkim=s");

        DmarcCheck.Dmarc dmarc = DmarcCheck.lookup("news.example.com", dns);

        assertThat(dmarc.at()).isEqualTo("_dmarc.example.com");
        assertThat(dmarc.check().status()).isEqualTo(Status.WARN);
        assertThat(dmarc.strictDkim()).isTrue();
    }

    @Test
    void lookupShouldPreferTheDomainsOwnRecord() {
        dns.txt("_dmarc.example.com", "v=DMARC1; p=none").txt("_dmarc.news.example.com", "v=DMARC1; p=quarantine");

        assertThat(DmarcCheck.lookup("news.example.com", dns).check().status()).isEqualTo(Status.PASS);
    }

    @Test
    void lookupShouldFailForTwoRecordsOrNoPolicy() {
        dns.txt("_dmarc.a.test", "v=DMARC1; p=none").txt("_dmarc.a.test", "v=DMARC1; p=reject").txt("_dmarc.b.test", "v=DMARC1; rua=mailto:x@b.test");

        assertThat(DmarcCheck.lookup("a.test", dns).check().status()).isEqualTo(Status.FAIL);
        assertThat(DmarcCheck.lookup("b.test", dns).check().status()).isEqualTo(Status.FAIL);
    }

    @Test
    void lookupShouldWarnWhenTheDnsDoesNotAnswer() {
        dns.failing("_dmarc.example.com");

        assertThat(DmarcCheck.lookup("example.com", dns).check().status()).isEqualTo(Status.WARN);
    }
}
