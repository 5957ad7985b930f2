package io.sendonly.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightTest {
    @TempDir
    Path folder;

    @Test
    void runShouldAnswerEveryCheckInOrderAndMapThemToTheChecklist() throws Exception {
        Path keyFile = Keys.generate(folder, "good.example", "s1");
        FakeDns dns = new FakeDns()
            .txt("s1._domainkey.good.example", Keys.record(keyFile, "s1"))
            .txt("_dmarc.good.example", "v=DMARC1; p=reject")
            .ptr("203.0.113.5", "mail.good.example").a("mail.good.example", "203.0.113.5");
        Preflight preflight = new Preflight(dns, (address, domain, helo) -> domain.equals("good.example") ? "pass" : "none",
            Optional.of(FakeDns.address("203.0.113.5")), "mail.good.example");
        SendingDomain good = new SendingDomain("good.example",
            Optional.of(new SendingDomain.SigningKey("s1._domainkey.good.example", "good.example", "s1", keyFile)), List.of());
        SendingDomain bare = new SendingDomain("bare.example", Optional.empty(), List.of());

        Report report = preflight.run(List.of(good, bare));

        DomainReport first = report.domains().get(0);
        assertThat(first.checks()).extracting(Check::name).containsExactly(Check.SPF, Check.DKIM, Check.DMARC, Check.ALIGNMENT,
            Check.PTR, Check.HELO, Check.MTA_STS, Check.TLS_RPT);
        assertThat(first.worst()).isEqualTo(Status.PASS);
        assertThat(report.domains().get(1).worst()).isEqualTo(Status.FAIL);
        assertThat(report.failed()).isTrue();
        assertThat(report.checklist()).extracting(Checklist.Item::status)
            .containsExactly(Status.FAIL, Status.PASS, Status.PASS, Status.FAIL, Status.FAIL, Status.FAIL);
        assertThat(report.checklist().get(0).detail()).isEqualTo("not met by bare.example");
    }

    @Test
    void checkShouldAskForAPtrToMailOfTheDomainWhenTheHeloNameIsNoDomainName() {
        Preflight preflight = new Preflight(new FakeDns(), (address, domain, helo) -> "none",
            Optional.of(FakeDns.address("203.0.113.5")), "localhost");

        DomainReport report = preflight.check(new SendingDomain("example.com", Optional.empty(), List.of()));

        assertThat(report.checks()).filteredOn(check -> check.name().equals(Check.PTR)).extracting(Check::record)
            .containsExactly(Optional.of("5.113.0.203.in-addr.arpa. PTR mail.example.com."));
    }
}
