package io.sendonly.server.preflight;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sendonly.dkim.DkimRecord;
import io.sendonly.dkim.TestKeys;
import io.sendonly.server.testing.Dnsmasq;
import io.sendonly.server.testing.LogCapture;
import io.sendonly.server.testing.OperatorCommands;
import io.sendonly.server.testing.Prerequisites;
import io.sendonly.server.testing.TestServer;

/**
 * The preflight of the real server against zones served by dnsmasq on 127.0.0.105: one sending domain per
 * misconfiguration and one where everything passes. The egress address is 127.0.0.106 (PTR mail.good.test, the HELO
 * name); noptr.test and unconfirmed.test go through smart hosts whose addresses have no PTR (127.0.0.107) or a PTR that
 * does not resolve back (127.0.0.108). Needs root (port 53) and dnsmasq.
 */
class PreflightIntegrationTest {
    private static final String DNS_ADDRESS = "127.0.0.105";
    private static final String EGRESS = "127.0.0.106";
    private static final String COVERS_US = "v=spf1 ip4:" + EGRESS + " -all";
    private static final String REJECT = "v=DMARC1; p=reject";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final LogCapture log = new LogCapture();

    @TempDir
    Path workingDirectory;

    private Dnsmasq dns;
    private TestServer server;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.require(Prerequisites.isRoot(), "binding port 53 needs root");
        Prerequisites.require(Dnsmasq.executable().isPresent(), "dnsmasq is not installed");
        server = TestServer.prepare(workingDirectory);
        KeyPair ours = TestKeys.rsa(2048);
        KeyPair other = TestKeys.rsa(2048);
        Path dkim = server.conf("dkim");
        TestKeys.write(dkim.resolve("keys/ours.private"), ours.getPrivate(), "rw-------");
        TestKeys.write(dkim.resolve("keys/other.private"), other.getPrivate(), "rw-------");
        Files.writeString(dkim.resolve("KeyTable"), String.join("\n",
            "ours    %:s1:keys/ours.private",
            "other   other.test:s1:keys/other.private", ""));
        Map<String, String> signing = new LinkedHashMap<>();
        for (String domain : new String[] {"good", "nospf", "otherip", "nodmarc", "mismatch", "noptr", "unconfirmed"}) {
            signing.put("*@" + domain + ".test", "ours");
        }
        signing.put("*@misaligned.test", "other");
        StringBuilder table = new StringBuilder();
        signing.forEach((pattern, key) -> table.append(pattern).append(' ').append(key).append('\n'));
        Files.writeString(dkim.resolve("SigningTable"), table);

        String ourKey = DkimRecord.of(ours.getPublic(), false, false);
        Dnsmasq.Builder zones = Dnsmasq.on(DNS_ADDRESS)
            .a("mail.good.test", EGRESS)
            .aWithoutPtr("relay-noptr.test", "127.0.0.107")
            .aWithoutPtr("relay-unconfirmed.test", "127.0.0.108")
            .ptr("127.0.0.108", "mail.elsewhere.test")
            .a("mail.elsewhere.test", "192.0.2.9")
            .txt("s1._domainkey.other.test", DkimRecord.of(other.getPublic(), false, false))
            .txt("s1._domainkey.mismatch.test", DkimRecord.of(other.getPublic(), false, false))
            .txt("otherip.test", "v=spf1 ip4:192.0.2.1 -all")
            .txt("misaligned.test", "v=spf1 ip4:192.0.2.1 ~all")
            .txt("noptr.test", "v=spf1 ip4:127.0.0.107 -all")
            .txt("unconfirmed.test", "v=spf1 ip4:127.0.0.108 -all");
        for (String domain : new String[] {"good", "nospf", "otherip", "nodmarc", "noptr", "unconfirmed"}) {
            zones.txt("s1._domainkey." + domain + ".test", ourKey);
        }
        for (String domain : new String[] {"good", "nodmarc", "mismatch"}) {
            zones.txt(domain + ".test", COVERS_US);
        }
        for (String domain : new String[] {"good", "nospf", "otherip", "misaligned", "mismatch", "noptr", "unconfirmed"}) {
            zones.txt("_dmarc." + domain + ".test", REJECT);
        }
        try {
            dns = zones.localDomain("test").localDomain("0.0.127.in-addr.arpa").start();
        } catch (Dnsmasq.PortTakenException e) {
            Prerequisites.require(false, e.getMessage());
        }

        server.editXml("dnsservice.xml", xml -> xml
                .set("/dnsservice/autodiscover", "false")
                .set("/dnsservice/servers", "")
                .set("/dnsservice/servers/server", DNS_ADDRESS))
            .editXml("preflight.xml", xml -> xml.set("/preflight/egressAddress", EGRESS))
            .editXml("domainlist.xml", xml -> xml.set("/domainlist/defaultDomain", "good.test"))
            .smtpServerXml(xml -> xml.set("/smtpservers/smtpserver/helloName", "mail.good.test"))
            .routes("sender noptr.test [relay-noptr.test]:587\nsender unconfirmed.test [relay-unconfirmed.test]:587\n")
            .start();
    }

    @AfterEach
    void tearDown() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (dns != null) {
                dns.close();
            }
        }
    }

    @Test
    void preflightShouldAnswerEachCheckOfEachDomain() throws Exception {
        HttpResponse<String> response = server.webAdmin().get("/sendonly/preflight");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode report = JSON.readTree(response.body());
        assertThat(report.path("failed").asBoolean()).isTrue();
        assertThat(statuses(report, "good.test"))
            .isEqualTo("spf=pass dkim=pass dmarc=pass alignment=pass ptr=pass helo=pass mta-sts=info tls-rpt=info");
        assertThat(statuses(report, "nospf.test")).startsWith("spf=fail dkim=pass dmarc=pass alignment=pass ptr=pass");
        assertThat(check(report, "nospf.test", "spf").path("record").asText()).isEqualTo("nospf.test. TXT \"" + COVERS_US + "\"");
        assertThat(check(report, "otherip.test", "spf").path("detail").asText()).contains("does not authorise " + EGRESS + " (fail)");
        assertThat(check(report, "otherip.test", "spf").path("record").asText())
            .isEqualTo("otherip.test. TXT \"v=spf1 ip4:192.0.2.1 ip4:" + EGRESS + " -all\"");
        assertThat(statuses(report, "nodmarc.test")).startsWith("spf=pass dkim=pass dmarc=fail alignment=pass");
        assertThat(check(report, "nodmarc.test", "dmarc").path("record").asText())
            .isEqualTo("_dmarc.nodmarc.test. TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@nodmarc.test\"");
        assertThat(statuses(report, "misaligned.test")).startsWith("spf=warn dkim=pass dmarc=pass alignment=fail");
        assertThat(check(report, "misaligned.test", "alignment").path("detail").asText())
            .contains("d=other.test is in another organisational domain");
        assertThat(statuses(report, "mismatch.test")).startsWith("spf=pass dkim=fail dmarc=pass alignment=warn");
        assertThat(check(report, "mismatch.test", "alignment").path("detail").asText()).startsWith("SPF aligns");
        assertThat(check(report, "mismatch.test", "dkim").path("record").asText())
            .startsWith("s1._domainkey.mismatch.test. TXT \"v=DKIM1; h=sha256; k=rsa; p=");
        assertThat(statuses(report, "noptr.test")).isEqualTo("spf=pass dkim=pass dmarc=pass alignment=pass ptr=fail helo=info"
            + " mta-sts=info tls-rpt=info");
        assertThat(check(report, "noptr.test", "ptr").path("detail").asText()).contains("127.0.0.107 (of smart host relay-noptr.test");
        assertThat(check(report, "unconfirmed.test", "ptr").path("status").asText()).isEqualTo("fail");
        assertThat(check(report, "unconfirmed.test", "ptr").path("detail").asText()).contains("not forward-confirmed");
        assertThat(report.path("checklist").get(0).path("rule").asText()).isEqualTo("SPF or DKIM passes");
        assertThat(report.path("checklist").get(0).path("status").asText()).isEqualTo("pass");
        assertThat(report.path("checklist").get(1).path("detail").asText()).isEqualTo("not met by noptr.test, unconfirmed.test");
    }

    @Test
    void preflightShouldAnswerOneDomainAndRefuseOthers() throws Exception {
        JsonNode good = JSON.readTree(server.webAdmin().get("/sendonly/preflight?domain=good.test").body());

        assertThat(good.path("failed").asBoolean()).isFalse();
        assertThat(good.path("domains")).hasSize(1);
        assertThat(server.webAdmin().get("/sendonly/preflight?domain=unknown.test").statusCode()).isEqualTo(404);
        assertThat(server.webAdmin().get("/sendonly/preflight?domain=-bad-").statusCode()).isEqualTo(400);
    }

    @Test
    void cliShouldPrintTheReportAndExitOneWhenACheckFails() throws Exception {
        OperatorCommands commands = OperatorCommands.of(server);

        OperatorCommands.Result all = commands.run("sendonly", "preflight");
        OperatorCommands.Result good = commands.run("sendonly", "preflight", "good.test");

        assertThat(all.exitCode()).isEqualTo(1);
        assertThat(all.out()).contains("nospf.test: fail\n  FAIL  spf        nospf.test publishes no SPF record",
            "                  publish: nospf.test. TXT \"" + COVERS_US + "\"\n", "Gmail/Yahoo sender rules:\n");
        assertThat(good.exitCode()).isZero();
        assertThat(good.out()).startsWith("good.test: pass\n  PASS  spf        the SPF record of good.test authorises " + EGRESS);
        assertThat(commands.run("sendonly", "preflight", "unknown.test").exitCode()).isEqualTo(67);
    }

    @Test
    void startUpShouldLogASummaryPerDomainAndEachFailure() {
        await().atMost(Duration.ofSeconds(30)).until(() -> log.text().contains("preflight: some checks failed"));

        assertThat(log.text()).contains("INFO preflight good.test: 6 pass, 0 warn, 0 fail, 2 info",
            "INFO preflight nospf.test: 5 pass, 0 warn, 1 fail, 2 info",
            "WARN preflight nospf.test spf: nospf.test publishes no SPF record",
            "WARN preflight mismatch.test dkim: s1._domainkey.mismatch.test publishes another key");
    }

    private static String statuses(JsonNode report, String domain) {
        StringBuilder statuses = new StringBuilder();
        for (JsonNode check : domain(report, domain).path("checks")) {
            statuses.append(statuses.length() == 0 ? "" : " ").append(check.path("name").asText()).append('=')
                .append(check.path("status").asText());
        }
        return statuses.toString();
    }

    private static JsonNode check(JsonNode report, String domain, String name) {
        for (JsonNode check : domain(report, domain).path("checks")) {
            if (check.path("name").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError(domain + " has no check " + name + ": " + report);
    }

    private static JsonNode domain(JsonNode report, String domain) {
        for (JsonNode node : report.path("domains")) {
            if (node.path("domain").asText().equals(domain)) {
                return node;
            }
        }
        throw new AssertionError("no domain " + domain + ": " + report);
    }
}
