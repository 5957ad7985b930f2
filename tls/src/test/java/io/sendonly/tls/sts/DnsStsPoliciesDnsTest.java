package io.sendonly.tls.sts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.SimpleResolver;

import io.sendonly.dkim.DebianTools;
import io.sendonly.server.testing.Dnsmasq;
import io.sendonly.server.testing.StsPolicyServer;
import io.sendonly.server.testing.TestCa;
import io.sendonly.tls.ResultType;
import io.sendonly.tls.StsLookup;
import io.sendonly.tls.StsPolicy;
import io.sendonly.tls.TrustAnchors;

/**
 * Discovery and fetch as in production: the {@code _mta-sts} TXT records and the policy host's address served by
 * dnsmasq on 127.0.0.70:53, the policy by HTTPS on 127.0.0.71:443 with a certificate from a test authority.
 *
 * <p>Needs root (ports 53 and 443) and dnsmasq; {@code .ci/run} installs dnsmasq.
 */
class DnsStsPoliciesDnsTest {
    private static final String DNS_ADDRESS = "127.0.0.70";
    private static final String POLICY_HOST_ADDRESS = "127.0.0.71";
    private static final String DOMAIN = "example.test";
    private static final String POLICY = "version: STSv1\nmode: enforce\nmx: mx.example.test\nmax_age: 86400\n";

    private static Dnsmasq dns;
    private static StsPolicyServer policyHost;
    private static Path caFile;

    @TempDir
    Path var;

    @BeforeAll
    static void start(@TempDir Path folder) throws Exception {
        DebianTools.require(DebianTools.isRoot(), "DnsStsPoliciesDnsTest binds ports 53 and 443: it needs root");
        DebianTools.require(Dnsmasq.executable().isPresent(), "DnsStsPoliciesDnsTest needs dnsmasq");
        try {
            dns = Dnsmasq.on(DNS_ADDRESS)
                .txt("_mta-sts." + DOMAIN, "v=STSv1; id=20261130;")
                .a(StsPolicyServer.host(DOMAIN), POLICY_HOST_ADDRESS)
                .txt("_mta-sts.twice.test", "v=STSv1; id=one;")
                .txt("_mta-sts.twice.test", "v=STSv1; id=two;")
                .a(StsPolicyServer.host("twice.test"), POLICY_HOST_ADDRESS)
                .txt("_mta-sts.nohost.test", "v=STSv1; id=one;")
                .localDomain("test")
                .start();
        } catch (Dnsmasq.PortTakenException e) {
            DebianTools.require(false, e.getMessage());
        }
        TestCa ca = TestCa.create("MTA-STS test CA");
        caFile = ca.writeCertificate(folder.resolve("ca.pem"));
        policyHost = StsPolicyServer.start(ca, InetAddress.getByName(POLICY_HOST_ADDRESS), 443, DOMAIN);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (policyHost != null) {
                policyHost.close();
            }
        } finally {
            if (dns != null) {
                dns.close();
            }
        }
    }

    @BeforeEach
    void servePolicy() {
        policyHost.serve(DOMAIN, POLICY);
    }

    @Test
    void lookupShouldFindThePolicyNamedByTheRecord() throws Exception {
        StsLookup lookup = policies().lookup(DOMAIN);

        assertThat(lookup).isInstanceOfSatisfying(StsLookup.Found.class, found -> {
            StsPolicy policy = found.policy();
            assertThat(policy.id()).isEqualTo("20261130");
            assertThat(policy.mode()).isEqualTo(StsPolicy.Mode.ENFORCE);
            assertThat(policy.allowsMx("mx.example.test")).isTrue();
            assertThat(policy.maxAge()).isEqualTo(Duration.ofDays(1));
        });
        assertThat(dns.log()).contains("query[TXT] _mta-sts.example.test", "query[A] mta-sts.example.test");
    }

    @Test
    void lookupShouldAnswerFromTheCacheAfterARestartWithThePolicyHostFailing() throws Exception {
        policies().lookup(DOMAIN);
        int requests = policyHost.requests();
        policyHost.answer(DOMAIN, 500, "text/plain", "down\n");

        assertThat(policies().lookup(DOMAIN)).isInstanceOf(StsLookup.Found.class);
        assertThat(policyHost.requests()).isEqualTo(requests);
    }

    @Test
    void lookupShouldFindNothingWhereNoRecordIsPublished() throws Exception {
        assertThat(policies().lookup("other.test")).isEqualTo(new StsLookup.NotPublished());
    }

    @Test
    void lookupShouldFindNothingWhereTwoRecordsArePublished() throws Exception {
        int requests = policyHost.requests();

        assertThat(policies().lookup("twice.test")).isEqualTo(new StsLookup.NotPublished());
        assertThat(policyHost.requests()).isEqualTo(requests);
    }

    @Test
    void lookupShouldFailWhenThePolicyHostHasNoAddress() throws Exception {
        StsLookup lookup = policies().lookup("nohost.test");

        assertThat(lookup).isInstanceOfSatisfying(StsLookup.Failed.class, failed -> {
            assertThat(failed.failure().type()).isEqualTo(ResultType.STS_POLICY_FETCH_ERROR);
            assertThat(failed.failure().reason()).contains("mta-sts.nohost.test has no address");
        });
    }

    private DnsStsPolicies policies() throws Exception {
        return DnsStsPolicies.open(new SimpleResolver(DNS_ADDRESS), TrustAnchors.pem(caFile),
            var.resolve("mta-sts"), Clock.systemUTC());
    }
}
