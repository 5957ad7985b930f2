package io.sendonly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.BindException;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sendonly.server.testing.Dnsmasq;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.Prerequisites;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.TestCa;
import io.sendonly.server.testing.TestServer;
import io.sendonly.server.testing.Unbound;

/**
 * DANE as shipped ({@code tlsSecurityLevel} {@code dane}, the resolver the first DNS server of dnsservice.xml): James
 * resolves through unbound on 127.0.0.84:53, which validates the signed zone {@code dane.test}. Its domains' MX hosts
 * are SMTP sinks on port 25 offering STARTTLS:
 * <ul>
 * <li>{@code ee.dane.test}: {@code mx.ee} at 127.0.0.85, {@code TLSA 3 1 1} of its key;</li>
 * <li>{@code ta.dane.test}: {@code mx.ta} at 127.0.0.86, a chain under an intermediate, {@code TLSA 2 0 1} of the root;</li>
 * <li>{@code wrong.dane.test}: {@code mx.wrong} at 127.0.0.87, {@code TLSA 3 1 1} of another key;</li>
 * <li>{@code bogus.dane.test}: {@code mx.bogus} at 127.0.0.88, a TLSA record whose signature is spoiled.</li>
 * </ul>
 * Needs root (ports 53 and 25), unbound and ldnsutils ({@code .ci/run} installs them).
 */
class DaneDeliveryTest {
    private static final String RESOLVER = "127.0.0.84";
    private static final String EE_MX = "127.0.0.85";
    private static final String TA_MX = "127.0.0.86";
    private static final String WRONG_MX = "127.0.0.87";
    private static final String BOGUS_MX = "127.0.0.88";
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path workingDirectory;

    private Unbound dns;
    private final List<SmtpSink> sinks = new ArrayList<>();
    private SmtpSink ee;
    private SmtpSink ta;
    private SmtpSink wrong;
    private SmtpSink bogus;
    private TestServer server;

    @BeforeEach
    void setUp() throws Exception {
        requireEnvironment(Prerequisites.isRoot(), "binding ports 53 and 25 needs root");
        requireEnvironment(Unbound.installed(), "unbound or ldnsutils is not installed");

        TestCa.Issued eeCertificate = TestCa.create("DANE-EE self").issue("mx.ee.dane.test");
        TestCa root = TestCa.create("DANE-TA root");
        TestCa.Issued taChain = root.intermediate("DANE-TA intermediate").issue("mx.ta.dane.test");
        TestCa.Issued wrongCertificate = TestCa.create("DANE-EE other").issue("mx.wrong.dane.test");
        try {
            dns = Unbound.on(RESOLVER)
                .zone(Unbound.Zone.signed("dane.test")
                    .mx("ee", "mx.ee.dane.test.").a("mx.ee", EE_MX)
                    .tlsa("mx.ee", 25, "3 1 1 " + sha256(eeCertificate.certificate().getPublicKey().getEncoded()))
                    .mx("ta", "mx.ta.dane.test.").a("mx.ta", TA_MX)
                    .tlsa("mx.ta", 25, "2 0 1 " + sha256(root.certificate().getEncoded()))
                    .mx("wrong", "mx.wrong.dane.test.").a("mx.wrong", WRONG_MX)
                    .tlsa("mx.wrong", 25, "3 1 1 " + sha256(TestCa.create("DANE-EE elsewhere").issue("mx.wrong.dane.test")
                        .certificate().getPublicKey().getEncoded()))
                    .mx("bogus", "mx.bogus.dane.test.").a("mx.bogus", BOGUS_MX)
                    .tlsa("mx.bogus", 25, "3 1 1 " + sha256(eeCertificate.certificate().getPublicKey().getEncoded()))
                    .bogus("_25._tcp.mx.bogus", "TLSA"))
                .start();
        } catch (Dnsmasq.PortTakenException e) {
            requireEnvironment(false, e.getMessage());
        }
        try {
            ee = sink(EE_MX, eeCertificate);
            ta = sink(TA_MX, taChain);
            wrong = sink(WRONG_MX, wrongCertificate);
            bogus = sink(BOGUS_MX, eeCertificate);
        } catch (BindException e) {
            requireEnvironment(false, "port 25 of 127.0.0.85 to .88 is taken (a local MTA listening on all addresses?): " + e);
        }

        server = TestServer.prepare(workingDirectory)
            .dnsServer(RESOLVER)
            .delivery("retrySchedule", "1s")
            .start();
    }

    /** The server first, then the MX hosts, then DNS: each closed even when one before fails. */
    @AfterEach
    void tearDown() throws Exception {
        List<AutoCloseable> started = new ArrayList<>();
        started.add(server);
        started.addAll(sinks);
        started.add(dns);
        Exception first = null;
        for (AutoCloseable closeable : started) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Test
    void shouldDeliverOverTlsWhenTheHostKeyMatchesDaneEeRecord() throws Exception {
        send("someone@ee.dane.test");

        SmtpSink.Received message = awaitReceived(ee);
        assertThat(message.tls()).isTrue();
        assertThat(message.rcptTo()).containsExactly("someone@ee.dane.test");
    }

    @Test
    void shouldDeliverOverTlsWhenTheChainLeadsToTheDaneTaRoot() throws Exception {
        send("someone@ta.dane.test");

        SmtpSink.Received message = awaitReceived(ta);
        assertThat(message.tls()).isTrue();
    }

    @Test
    void shouldDeferWith475AndDeliverNothingWhenNoTlsaRecordMatches() throws Exception {
        send("someone@wrong.dane.test");

        awaitDeferred("someone@wrong.dane.test");
        assertThat(wrong.connections()).as("the host was tried").isPositive();
        assertThat(wrong.received()).isEmpty();
    }

    @Test
    void shouldDeferAndNotConnectWhenTheTlsaAnswerIsBogus() throws Exception {
        send("someone@bogus.dane.test");

        awaitDeferred("someone@bogus.dane.test");
        assertThat(bogus.connections()).as("a host whose TLSA lookup failed is not used").isZero();
        assertThat(dns.log()).contains("validation failure <_25._tcp.mx.bogus.dane.test. TLSA IN>");
    }

    private void send(String recipient) throws Exception {
        try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
            client.send("app@ee.dane.test", recipient,
                Messages.simple(Messages.newMessageId(), "app@ee.dane.test", recipient, "DANE", "over DANE\r\n"));
        }
    }

    private SmtpSink sink(String address, TestCa.Issued certificate) throws Exception {
        SmtpSink sink = SmtpSink.startWithStartTls(InetAddress.getByName(address), 25, certificate.serverContext());
        sinks.add(sink);
        return sink;
    }

    private SmtpSink.Received awaitReceived(SmtpSink mx) {
        await().atMost(DELIVERY_TIMEOUT).until(() -> !mx.received().isEmpty());
        return mx.received().get(0);
    }

    /** Waits for the recipient's DEFERRED event, and asserts its status is 4.7.5. */
    private void awaitDeferred(String recipient) throws Exception {
        await().atMost(DELIVERY_TIMEOUT).until(() -> events(recipient).stream()
            .anyMatch(event -> event.get("type").asText().equals("DEFERRED")));
        assertThat(events(recipient)).filteredOn(event -> event.get("type").asText().equals("DEFERRED"))
            .first().satisfies(event -> assertThat(event.get("status").asText()).as(event.toString()).isEqualTo("4.7.5"));
    }

    private List<JsonNode> events(String recipient) throws Exception {
        String body = server.webAdmin().get("/sendonly/messages?recipient="
            + URLEncoder.encode(recipient, StandardCharsets.UTF_8)).body();
        List<JsonNode> events = new ArrayList<>();
        MAPPER.readTree(body).forEach(events::add);
        return events;
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static void requireEnvironment(boolean condition, String problem) {
        Prerequisites.require(condition, "DaneDeliveryTest cannot run here: it needs root, unbound and ldnsutils"
            + " (.ci/run installs them), and " + RESOLVER + ":53 and port 25 of 127.0.0.85 to .88 free. " + problem);
    }
}
