package io.sendonly.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;

import io.sendonly.dkim.DebianTools;
import io.sendonly.server.testing.Dnsmasq;

/**
 * The checks through dnsjava and jSPF against a real DNS server: dnsmasq on 127.0.0.100:53 serving the zones of
 * {@code .test} domains. The egress address 127.0.0.101 has a forward-confirmed PTR, 127.0.0.102 none, 127.0.0.103 a
 * PTR whose name resolves elsewhere. Needs root (port 53) and dnsmasq.
 */
class DnsjavaPreflightTest {
    private static final String DNS_ADDRESS = "127.0.0.100";

    private static Dnsmasq dnsmasq;
    private static DnsjavaDns dns;
    private static JspfEvaluator spf;

    @BeforeAll
    static void startDns() throws Exception {
        DebianTools.require(DebianTools.isRoot(), "binding port 53 needs root");
        DebianTools.require(Dnsmasq.executable().isPresent(), "dnsmasq is not installed");
        try {
            dnsmasq = Dnsmasq.on(DNS_ADDRESS)
                .txt("covered.test", "v=spf1 ip4:127.0.0.101 -all")
                .txt("included.test", "v=spf1 include:_spf.covered.test -all")
                .txt("_spf.covered.test", "v=spf1 ip4:127.0.0.0/24 -all")
                .txt("other.test", "v=spf1 ip4:192.0.2.1 -all")
                .txt("soft.test", "v=spf1 ip4:192.0.2.1 ~all")
                .a("mail.covered.test", "127.0.0.101")
                .aWithoutPtr("relay.covered.test", "127.0.0.102")
                .ptr("127.0.0.103", "mail.elsewhere.test")
                .a("mail.elsewhere.test", "192.0.2.9")
                .localDomain("test")
                .localDomain("0.0.127.in-addr.arpa")
                .start();
        } catch (Dnsmasq.PortTakenException e) {
            DebianTools.require(false, e.getMessage());
        }
        Resolver resolver = new SimpleResolver(DNS_ADDRESS);
        resolver.setTimeout(Duration.ofSeconds(5));
        dns = new DnsjavaDns(resolver);
        spf = new JspfEvaluator(resolver);
    }

    @AfterAll
    static void stopDns() {
        if (dnsmasq != null) {
            dnsmasq.close();
        }
    }

    @Test
    void jspfShouldEvaluateTheRecordsAsPublished() {
        assertThat(spf.evaluate(FakeDns.address("127.0.0.101"), "covered.test", "mail.covered.test")).isEqualTo("pass");
        assertThat(spf.evaluate(FakeDns.address("127.0.0.101"), "included.test", "mail.covered.test")).isEqualTo("pass");
        assertThat(spf.evaluate(FakeDns.address("127.0.0.101"), "other.test", "mail.covered.test")).isEqualTo("fail");
        assertThat(spf.evaluate(FakeDns.address("127.0.0.101"), "soft.test", "mail.covered.test")).isEqualTo("softfail");
        assertThat(spf.evaluate(FakeDns.address("127.0.0.101"), "nothing.test", "mail.covered.test")).isEqualTo("none");
    }

    @Test
    void dnsShouldAnswerTxtAddressesAndPtrAndNothingForMissingNames() throws Exception {
        assertThat(dns.txt("covered.test")).containsExactly("v=spf1 ip4:127.0.0.101 -all");
        assertThat(dns.txt("_dmarc.covered.test")).isEmpty();
        assertThat(dns.addresses("mail.covered.test")).containsExactly(FakeDns.address("127.0.0.101"));
        assertThat(dns.names(FakeDns.address("127.0.0.101"))).containsExactly("mail.covered.test");
        assertThat(dns.names(FakeDns.address("127.0.0.102"))).isEmpty();
    }

    @Test
    void preflightShouldTellTheReverseDnsOfEachEgressAddress() {
        SendingDomain domain = new SendingDomain("covered.test", Optional.empty(), List.of());

        assertThat(check("127.0.0.101", domain, Check.PTR).status()).isEqualTo(Status.PASS);
        assertThat(check("127.0.0.101", domain, Check.HELO).status()).isEqualTo(Status.PASS);
        assertThat(check("127.0.0.102", domain, Check.PTR).detail()).contains("has no PTR record");
        assertThat(check("127.0.0.103", domain, Check.PTR).detail()).contains("not forward-confirmed");
        assertThat(check("127.0.0.103", domain, Check.HELO).status()).isEqualTo(Status.FAIL);
    }

    @Test
    void preflightShouldEvaluateSpfForTheSmartHostsAddresses() {
        SendingDomain routed = new SendingDomain("included.test", Optional.empty(), List.of("relay.covered.test"));

        Check check = check("127.0.0.101", routed, Check.SPF);

        assertThat(check.status()).isEqualTo(Status.PASS);
        assertThat(check.detail()).contains("smart host relay.covered.test (127.0.0.102)");
    }

    private static Check check(String egress, SendingDomain domain, String name) {
        DomainReport report = new Preflight(dns, spf, Optional.of(FakeDns.address(egress)), "mail.covered.test").check(domain);
        return report.checks().stream().filter(check -> check.name().equals(name)).findFirst().orElseThrow();
    }
}
