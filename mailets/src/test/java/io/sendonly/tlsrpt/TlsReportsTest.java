package io.sendonly.tlsrpt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import javax.mail.BodyPart;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.apache.james.core.MailAddress;
import org.apache.mailet.MailetContext;
import org.apache.mailet.base.test.FakeMailContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.sendonly.deliver.DeliveryAttributes;
import io.sendonly.server.testing.SettableClock;
import io.sendonly.server.testing.TestCa;
import io.sendonly.tls.PolicyType;
import io.sendonly.tls.ResultType;
import io.sendonly.tls.TlsFailure;
import io.sendonly.tls.TlsResult;
import io.sendonly.tls.TlsResults;

class TlsReportsTest {
    private static final Instant MORNING = Instant.parse("2026-11-30T10:00:00Z");
    private static final List<String> STS_POLICY = List.of("version: STSv1", "mode: testing", "mx: mx.example.com", "max_age: 86400");

    @TempDir
    Path directory;

    private final SettableClock clock = new SettableClock(MORNING);
    private final FakeMailContext mailetContext = FakeMailContext.defaultContext();
    private final Map<String, List<String>> zone = new HashMap<>();

    private TlsReports reports(TlsRptSettings settings, HttpClient https) throws Exception {
        return new TlsReports(settings, "mail.sender.test", directory.resolve("tls-rpt/counts"),
            name -> zone.getOrDefault(name, List.of()), mailetContext, () -> address("postmaster@sender.test"), https, clock);
    }

    private TlsReports reports() throws Exception {
        return reports(TlsRptSettings.DEFAULTS, HttpClient.newHttpClient());
    }

    private static MailAddress address(String address) {
        try {
            return new MailAddress(address);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Reports after a day of {@link #deliverSome} to example.com, whose {@code _smtp._tls} TXT record is {@code record}. */
    private TlsReports dayEnded(String record) throws Exception {
        zone.put("_smtp._tls.example.com", List.of(record));
        TlsReports reports = reports();
        deliverSome(reports.results());
        clock.advance(Duration.ofDays(1));
        return reports;
    }

    private static void deliverSome(TlsResults results) {
        for (int i = 0; i < 3; i++) {
            results.record(new TlsResult("example.com", PolicyType.STS, STS_POLICY, "mx.example.com", "192.0.2.10", Optional.empty()));
        }
        results.record(new TlsResult("example.com", PolicyType.STS, STS_POLICY, "mx.example.com", "192.0.2.10",
            Optional.of(new TlsFailure(ResultType.CERTIFICATE_HOST_MISMATCH, "certificate names other.example.net"))));
    }

    @Test
    void sendEndedShouldSendNothingBeforeTheDayEnds() throws Exception {
        zone.put("_smtp._tls.example.com", List.of("v=TLSRPTv1; rua=mailto:tlsrpt@example.com"));
        TlsReports reports = reports();
        deliverSome(reports.results());

        assertThat(reports.sendEnded()).isEmpty();
        assertThat(mailetContext.getSentMails()).isEmpty();
    }

    @Test
    void sendEndedShouldMailTheDaysReportToTheRuaOnce() throws Exception {
        zone.put("_smtp._tls.example.com", List.of("v=spf1 -all", "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"));
        TlsReports reports = reports();
        deliverSome(reports.results());
        clock.advance(Duration.ofDays(1));

        List<TlsReports.Outcome> outcomes = reports.sendEnded();

        assertThat(outcomes).hasSize(1);
        assertThat(outcomes.get(0).day()).isEqualTo(LocalDate.parse("2026-11-30"));
        assertThat(outcomes.get(0).sentTo()).containsExactly("mailto:tlsrpt@example.com");
        assertThat(outcomes.get(0).problems()).isEmpty();
        assertThat(mailetContext.getSentMails()).hasSize(1);
        FakeMailContext.SentMail sent = mailetContext.getSentMails().get(0);
        assertThat(sent.getSender()).isNull();
        assertThat(sent.getRecipients()).containsExactly(address("tlsrpt@example.com"));
        assertThat(sent.getAttributes()).containsKey(DeliveryAttributes.IS_REPORT).containsKey(DeliveryAttributes.TLS_REPORT);

        assertThat(reports.sendEnded()).isEmpty();
        assertThat(reports(TlsRptSettings.DEFAULTS, HttpClient.newHttpClient()).sendEnded()).as("after a restart").isEmpty();
        assertThat(mailetContext.getSentMails()).hasSize(1);
    }

    @Test
    void theMailShouldBeAnRfc8460Report() throws Exception {
        TlsReports reports = dayEnded("v=TLSRPTv1; rua=mailto:tlsrpt@example.com");
        String reportId = reports.sendEnded().get(0).reportId();

        MimeMessage message = mailetContext.getSentMails().get(0).getMsg();

        assertThat(message.getContentType()).startsWith("multipart/report").contains("report-type=\"tlsrpt\"");
        assertThat(message.getSubject()).isEqualTo("Report Domain: example.com Submitter: mail.sender.test Report-ID: <" + reportId + ">");
        assertThat(message.getHeader("TLS-Report-Domain", null)).isEqualTo("example.com");
        assertThat(message.getHeader("TLS-Report-Submitter", null)).isEqualTo("mail.sender.test");
        assertThat(message.getHeader("From", null)).isEqualTo("postmaster@sender.test");
        MimeMultipart parts = (MimeMultipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        BodyPart attachment = parts.getBodyPart(1);
        assertThat(attachment.getContentType()).startsWith("application/tlsrpt+gzip");
        long begin = Instant.parse("2026-11-30T00:00:00Z").getEpochSecond();
        assertThat(attachment.getFileName())
            .matches("mail\\.sender\\.test!example\\.com!" + begin + "!" + (begin + 86399) + "![A-Za-z0-9]+\\.json\\.gz");

        JsonNode json;
        try (InputStream in = new GZIPInputStream(attachment.getInputStream())) {
            json = new ObjectMapper().readTree(in);
        }
        assertThat(json.path("organization-name").asText()).isEqualTo("mail.sender.test");
        assertThat(json.path("contact-info").asText()).isEqualTo("postmaster@sender.test");
        assertThat(json.path("report-id").asText()).isEqualTo(reportId);
        assertThat(json.path("date-range").path("start-datetime").asText()).isEqualTo("2026-11-30T00:00:00Z");
        assertThat(json.path("date-range").path("end-datetime").asText()).isEqualTo("2026-11-30T23:59:59Z");
        JsonNode policy = json.path("policies").get(0);
        assertThat(policy.path("policy").path("policy-type").asText()).isEqualTo("sts");
        assertThat(policy.path("policy").path("policy-domain").asText()).isEqualTo("example.com");
        assertThat(policy.path("policy").path("policy-string")).hasSize(4);
        assertThat(policy.path("policy").path("mx-host").get(0).asText()).isEqualTo("mx.example.com");
        assertThat(policy.path("summary").path("total-successful-session-count").asLong()).isEqualTo(3);
        assertThat(policy.path("summary").path("total-failure-session-count").asLong()).isEqualTo(1);
        JsonNode failure = policy.path("failure-details").get(0);
        assertThat(failure.path("result-type").asText()).isEqualTo("certificate-host-mismatch");
        assertThat(failure.path("receiving-mx-hostname").asText()).isEqualTo("mx.example.com");
        assertThat(failure.path("receiving-ip").asText()).isEqualTo("192.0.2.10");
        assertThat(failure.path("failed-session-count").asLong()).isEqualTo(1);
        assertThat(failure.path("failure-reason-code").asText()).isEqualTo("certificate names other.example.net");
    }

    @Test
    void sendEndedShouldKeepAReportThePipelineDidNotTakeForTheNextRun() throws Exception {
        MailetContext refusing = (MailetContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {MailetContext.class},
            (proxy, method, arguments) -> {
                if (method.getName().equals("sendMail")) {
                    throw new MessagingException("spool full");
                }
                return method.invoke(mailetContext, arguments);
            });
        zone.put("_smtp._tls.example.com", List.of("v=TLSRPTv1; rua=mailto:tlsrpt@example.com"));
        TlsReports failing = new TlsReports(TlsRptSettings.DEFAULTS, "mail.sender.test", directory.resolve("tls-rpt/counts"),
            name -> zone.getOrDefault(name, List.of()), refusing, () -> address("postmaster@sender.test"), HttpClient.newHttpClient(), clock);
        deliverSome(failing.results());
        failing.flush();
        clock.advance(Duration.ofDays(1));

        assertThat(failing.sendEnded()).isEmpty();
        assertThat(reports().sendEnded()).as("the next run, after a restart").singleElement()
            .satisfies(outcome -> assertThat(outcome.sentTo()).containsExactly("mailto:tlsrpt@example.com"));
        assertThat(mailetContext.getSentMails()).hasSize(1);
    }

    @Test
    void sendEndedShouldForgetADomainWithoutRecord() throws Exception {
        TlsReports reports = reports();
        deliverSome(reports.results());
        clock.advance(Duration.ofDays(1));

        assertThat(reports.sendEnded()).singleElement()
            .satisfies(outcome -> assertThat(outcome.problems()).containsExactly("no TLS-RPT record at _smtp._tls.example.com"));
        zone.put("_smtp._tls.example.com", List.of("v=TLSRPTv1; rua=mailto:tlsrpt@example.com"));
        assertThat(reports.sendEnded()).isEmpty();
        assertThat(mailetContext.getSentMails()).isEmpty();
    }

    @Test
    void sendEndedShouldNameABadRecord() throws Exception {
        TlsReports reports = dayEnded("v=TLSRPTv1; rua=ftp://example.com/x");

        assertThat(reports.sendEnded().get(0).problems()).singleElement().asString()
            .startsWith("_smtp._tls.example.com: rua= names no mailto: nor https: URI");
    }

    @Test
    void sendEndedShouldPostTheGzipToAnHttpsRuaWithACertificateTheClientTrusts() throws Exception {
        TestCa ca = TestCa.create("TLS-RPT test CA");
        List<byte[]> bodies = new ArrayList<>();
        List<String> types = new ArrayList<>();
        HttpsServer server = httpsServer(ca, exchange -> {
            bodies.add(exchange.getRequestBody().readAllBytes());
            types.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            exchange.sendResponseHeaders(201, -1);
            exchange.close();
        });
        try {
            String url = "https://localhost:" + server.getAddress().getPort() + "/tlsrpt";
            zone.put("_smtp._tls.example.com", List.of("v=TLSRPTv1; rua=" + url));
            TlsReports reports = reports(TlsRptSettings.DEFAULTS, HttpClient.newBuilder().sslContext(trusting(ca)).build());
            deliverSome(reports.results());
            clock.advance(Duration.ofDays(1));

            assertThat(reports.sendEnded()).singleElement().satisfies(outcome -> {
                assertThat(outcome.sentTo()).containsExactly(url);
                assertThat(outcome.problems()).isEmpty();
            });
            assertThat(types).containsExactly("application/tlsrpt+gzip");
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bodies.get(0)))) {
                assertThat(new ObjectMapper().readTree(in).path("policies").get(0).path("summary")
                    .path("total-successful-session-count").asLong()).isEqualTo(3);
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void sendEndedShouldRefuseAnHttpsRuaWhoseCertificateIsNotTrusted() throws Exception {
        TestCa ca = TestCa.create("untrusted CA");
        List<String> requests = new ArrayList<>();
        HttpsServer server = httpsServer(ca, exchange -> {
            requests.add(exchange.getRequestMethod());
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        try {
            zone.put("_smtp._tls.example.com", List.of("v=TLSRPTv1; rua=https://localhost:" + server.getAddress().getPort() + "/tlsrpt"));
            TlsReports reports = reports();
            deliverSome(reports.results());
            clock.advance(Duration.ofDays(1));

            assertThat(reports.sendEnded()).singleElement().satisfies(outcome -> {
                assertThat(outcome.sentTo()).isEmpty();
                assertThat(outcome.problems()).hasSize(1);
            });
            assertThat(requests).isEmpty();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void disabledShouldRecordNothingAndWriteNoFile() throws Exception {
        TlsReports reports = reports(new TlsRptSettings(false, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), TlsRptSettings.DEFAULTS.sendAt()), HttpClient.newHttpClient());

        assertThat(reports.results()).isSameAs(TlsResults.IGNORED);
        clock.advance(Duration.ofDays(1));
        assertThat(reports.sendEnded()).isEmpty();
        assertThat(directory.resolve("tls-rpt")).doesNotExist();
    }

    /** A loopback HTTPS server answering {@code /tlsrpt} with the certificate {@code ca} issued for 127.0.0.1 and localhost. */
    private static HttpsServer httpsServer(TestCa ca, HttpHandler handler) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ca.serverContext("127.0.0.1")));
        server.createContext("/tlsrpt", handler);
        server.start();
        return server;
    }

    private static SSLContext trusting(TestCa ca) throws Exception {
        Path pem = ca.writeCertificate(Files.createTempFile("ca", ".pem"));
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        } finally {
            Files.delete(pem);
        }
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }
}
