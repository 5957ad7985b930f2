package io.sendonly.server.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.zip.GZIPInputStream;

import javax.mail.BodyPart;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sendonly.dkim.DkimRecord;
import io.sendonly.dkim.IndependentVerifiers;
import io.sendonly.dkim.TestKeys;
import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.ConfFile;
import io.sendonly.server.testing.Dnsmasq;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.Prerequisites;
import io.sendonly.server.testing.SelfSignedTls;
import io.sendonly.server.testing.SettableClock;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.TestServer;

/**
 * TLS-RPT from delivery to the report: dnsmasq (127.0.0.90:53) serves two recipient domains, each with a
 * {@code _smtp._tls} record whose rua is {@code mailto:tlsrpt@reports.test}: {@code secure.test}, whose MX
 * (127.0.0.91:25) offers STARTTLS, and {@code plain.test}, whose MX (127.0.0.92:25) does not while
 * {@code conf/tls_policy} pins it to {@code encrypt}. Reports go to {@code reports.test}'s MX (127.0.0.93:25), which
 * offers no STARTTLS although the table pins {@code reports.test} to {@code encrypt} too. The server's clock is moved a
 * day on; the POST sends the day's reports, which arrive DKIM-signed for the reporting address's domain, with the
 * counts delivery made, and survive a restart before they are sent; their own sessions are not counted.
 *
 * <p>Needs root (ports 53 and 25) and dnsmasq; {@code .ci/run} installs dnsmasq.
 */
class TlsReportIntegrationTest {
    private static final String DNS_ADDRESS = "127.0.0.90";
    private static final String SECURE_MX = "127.0.0.91";
    private static final String PLAIN_MX = "127.0.0.92";
    private static final String REPORTS_MX = "127.0.0.93";
    private static final String RUA = "v=TLSRPTv1; rua=mailto:tlsrpt@reports.test";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path workingDirectory;

    @RegisterExtension
    final Closer closer = new Closer();
    private final SettableClock clock = SettableClock.running();
    private final Map<String, String> dkimRecords = new HashMap<>();
    private Dnsmasq dns;
    private SmtpSink secure;
    private SmtpSink plain;
    private SmtpSink reports;
    private TestServer server;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.require(Prerequisites.isRoot() && Dnsmasq.executable().isPresent(),
            "TlsReportIntegrationTest needs root and dnsmasq (.ci/run installs it)");
        try {
            dns = closer.register(Dnsmasq.on(DNS_ADDRESS)
                .mx("secure.test", "mx.secure.test").a("mx.secure.test", SECURE_MX).txt("_smtp._tls.secure.test", RUA)
                .mx("plain.test", "mx.plain.test").a("mx.plain.test", PLAIN_MX).txt("_smtp._tls.plain.test", RUA)
                .mx("reports.test", "mx.reports.test").a("mx.reports.test", REPORTS_MX)
                .localDomain("test")
                .start());
        } catch (Dnsmasq.PortTakenException e) {
            Prerequisites.require(false, e.getMessage());
        }
        try {
            secure = closer.register(SmtpSink.startWithStartTls(InetAddress.getByName(SECURE_MX), 25, SelfSignedTls.serverContext("mx.secure.test")));
            plain = closer.register(SmtpSink.start(InetAddress.getByName(PLAIN_MX), 25));
            reports = closer.register(SmtpSink.start(InetAddress.getByName(REPORTS_MX), 25));
        } catch (BindException e) {
            Prerequisites.require(false, "port 25 of 127.0.0.91-93 is taken: " + e);
        }
        server = TestServer.prepare(workingDirectory)
            .editXml("dnsservice.xml", xml -> xml
                .set("/dnsservice/autodiscover", "false")
                .set("/dnsservice/servers", "")
                .set("/dnsservice/servers/server", DNS_ADDRESS))
            .editXml("events.xml", xml -> xml.set("/events/tlsrpt/reportingAddress", "tlsrpt@sender.test"))
            // One attempt at plain.test within the test, not a retry every second.
            .delivery("retrySchedule", "1h")
            .overriding(binder -> binder.bind(Clock.class).toInstance(clock));
        // reports.test, the rua's domain, is pinned to encrypt too, and its MX offers no STARTTLS: the reports must go
        // despite it (RFC 8460 section 5.3).
        ConfFile.write(server.conf("tls_policy"), "plain.test encrypt\nreports.test encrypt\n");
        signWithKeyFor("sender.test");
        closer.register(server.start());
    }

    private void signWithKeyFor(String domain) throws Exception {
        KeyPair key = TestKeys.rsa(2048);
        Path dkim = server.conf("dkim");
        TestKeys.write(dkim.resolve("keys/report.private"), key.getPrivate(), "rw-------");
        Files.writeString(dkim.resolve("KeyTable"), "report " + domain + ":rpt:keys/report.private\n");
        Files.writeString(dkim.resolve("SigningTable"), "*@" + domain + " report\n");
        dkimRecords.put("rpt._domainkey." + domain, DkimRecord.of(key.getPublic(), false, false));
    }

    @Test
    void theDaysReportsShouldReachTheRuaSignedWithTheCountsDeliveryMade() throws Exception {
        LocalDate day = LocalDate.now(clock);
        send("someone@secure.test", "over STARTTLS");
        send("someone@plain.test", "held to encrypt, offered no STARTTLS");
        awaitUntil(() -> secure.received().size() == 1, secure, "the mail to secure.test");
        JsonNode today = awaitToday(2);
        assertThat(today.path("day").asText()).isEqualTo(day.toString());

        server.restart();
        clock.advance(Duration.ofDays(1));
        HttpResponse<String> sent = server.webAdmin().post("/sendonly/tls-reports", "");

        assertThat(sent.statusCode()).isEqualTo(200);
        JsonNode outcomes = JSON.readTree(sent.body());
        assertThat(outcomes).hasSize(2).allSatisfy(outcome -> {
            assertThat(outcome.path("day").asText()).isEqualTo(day.toString());
            assertThat(outcome.path("sentTo").get(0).asText()).isEqualTo("mailto:tlsrpt@reports.test");
            assertThat(outcome.path("problems")).isEmpty();
        });
        awaitUntil(() -> reports.received().size() == 2, reports, "the two reports");
        assertThat(JSON.readTree(server.webAdmin().get("/sendonly/tls-reports").body()).path("domains"))
            .as("the reports' own sessions are not counted").noneSatisfy(domain ->
                assertThat(domain.path("domain").asText()).isEqualTo("reports.test"));

        JsonNode secureReport = report("secure.test");
        assertThat(secureReport.path("date-range").path("start-datetime").asText()).isEqualTo(day + "T00:00:00Z");
        JsonNode securePolicy = secureReport.path("policies").get(0);
        assertThat(securePolicy.path("policy").path("policy-type").asText()).isEqualTo("no-policy-found");
        assertThat(securePolicy.path("summary").path("total-successful-session-count").asLong()).isEqualTo(1);
        assertThat(securePolicy.path("summary").path("total-failure-session-count").asLong()).isZero();

        JsonNode plainPolicy = report("plain.test").path("policies").get(0);
        assertThat(plainPolicy.path("policy").path("policy-domain").asText()).isEqualTo("plain.test");
        assertThat(plainPolicy.path("summary").path("total-successful-session-count").asLong()).isZero();
        assertThat(plainPolicy.path("summary").path("total-failure-session-count").asLong()).isEqualTo(1);
        JsonNode failure = plainPolicy.path("failure-details").get(0);
        assertThat(failure.path("result-type").asText()).isEqualTo("starttls-not-supported");
        assertThat(failure.path("receiving-mx-hostname").asText()).isEqualTo("mx.plain.test");
        assertThat(failure.path("receiving-ip").asText()).isEqualTo(PLAIN_MX);

        assertThat(JSON.readTree(server.webAdmin().post("/sendonly/tls-reports", "").body())).as("sent once").isEmpty();
    }

    private void send(String recipient, String subject) throws Exception {
        try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
            client.send("app@sender.test", recipient, Messages.simple(Messages.newMessageId(), "app@sender.test", recipient, subject, "hello\r\n"));
        }
    }

    /** Today's counts once {@code sessions} negotiations were recorded. */
    private JsonNode awaitToday(int sessions) throws Exception {
        JsonNode[] today = new JsonNode[1];
        await().atMost(TIMEOUT).until(() -> {
            today[0] = JSON.readTree(server.webAdmin().get("/sendonly/tls-reports").body());
            long counted = 0;
            for (JsonNode domain : today[0].path("domains")) {
                counted += domain.path("successful").asLong() + domain.path("failed").asLong();
            }
            return counted == sessions;
        });
        return today[0];
    }

    /** The report on {@code domain} the rua's MX received: a signed RFC 8460 mail, its gzip JSON parsed. */
    private JsonNode report(String domain) throws Exception {
        SmtpSink.Received received = reports.received().stream().filter(mail -> domain.equals(mail.header("TLS-Report-Domain")))
            .findFirst().orElseThrow(() -> new AssertionError("no report on " + domain + " among " + reports.received().size()));
        assertThat(received.mailFrom()).isEmpty();
        assertThat(received.rcptTo()).containsExactly("tlsrpt@reports.test");
        IndependentVerifiers.assertVerified(IndependentVerifiers.verify(received.data(), "sender.test", dkimRecords), domain + " report");
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(received.data()));
        assertThat(message.getContentType()).startsWith("multipart/report").contains("report-type=\"tlsrpt\"");
        assertThat(message.getHeader("From", null)).isEqualTo("tlsrpt@sender.test");
        assertThat(message.getSubject()).startsWith("Report Domain: " + domain + " Submitter: ");
        BodyPart attachment = ((MimeMultipart) message.getContent()).getBodyPart(1);
        assertThat(attachment.getContentType()).startsWith("application/tlsrpt+gzip");
        assertThat(attachment.getFileName()).contains("!" + domain + "!").endsWith(".json.gz");
        try (InputStream in = new GZIPInputStream(attachment.getInputStream())) {
            return JSON.readTree(in);
        }
    }

    private void awaitUntil(Callable<Boolean> condition, SmtpSink sink, String what) {
        try {
            await().atMost(TIMEOUT).until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(what + " did not arrive within " + TIMEOUT + " (" + sink.received().size()
                + " received); dnsmasq log:\n" + dns.log(), e);
        }
    }
}
