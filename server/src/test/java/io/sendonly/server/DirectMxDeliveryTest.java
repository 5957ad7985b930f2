package io.sendonly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.Dnsmasq;
import io.sendonly.server.testing.Prerequisites;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.TestServer;

/**
 * Delivery as shipped: no route, so RouteDelivery looks up the recipient domain's MX through dnsjava and connects
 * to it on port 25. A real DNS server (dnsmasq, on 127.0.0.153:53) serves {@code example.test MX 10 mx1.example.test}
 * and {@code MX 20 mx2.example.test}, at 127.0.0.27 and 127.0.0.26, where SMTP sinks listen on port 25;
 * {@code nowhere.test} does not exist (NXDOMAIN).
 *
 * <p>Needs root (ports 53 and 25) and dnsmasq; {@code .ci/run} installs dnsmasq.
 */
class DirectMxDeliveryTest {
    /** Not 127.0.0.1, nor systemd-resolved's 127.0.0.53 and 127.0.0.54. */
    private static final String DNS_ADDRESS = "127.0.0.153";
    private static final String PRIMARY_ADDRESS = "127.0.0.27";
    private static final String SECONDARY_ADDRESS = "127.0.0.26";
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path workingDirectory;

    private Dnsmasq dns;
    private SmtpSink primary;
    private SmtpSink secondary;
    private TestServer server;

    @BeforeEach
    void setUp() throws Exception {
        requireEnvironment(Prerequisites.isRoot(), "binding ports 53 and 25 needs root");
        requireEnvironment(Dnsmasq.executable().isPresent(), "dnsmasq is not installed");

        try {
            dns = Dnsmasq.on(DNS_ADDRESS)
                .mx("example.test", "mx2.example.test", 20)
                .mx("example.test", "mx1.example.test", 10)
                .a("mx1.example.test", PRIMARY_ADDRESS)
                .a("mx2.example.test", SECONDARY_ADDRESS)
                .localDomain("test")
                .start();
        } catch (Dnsmasq.PortTakenException e) {
            requireEnvironment(false, e.getMessage());
        }
        try {
            primary = SmtpSink.start(InetAddress.getByName(PRIMARY_ADDRESS), 25);
            secondary = SmtpSink.start(InetAddress.getByName(SECONDARY_ADDRESS), 25);
        } catch (BindException e) {
            requireEnvironment(false, "port 25 of " + PRIMARY_ADDRESS + " or " + SECONDARY_ADDRESS
                + " is taken (a local MTA listening on all addresses?): " + e);
        }

        server = TestServer.prepare(workingDirectory)
            .dnsServer(DNS_ADDRESS)
            // Seconds, not the shipped minutes, should some attempt fail temporarily.
            .delivery("retrySchedule", "1s")
            .start();
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            try {
                for (SmtpSink sink : new SmtpSink[] {primary, secondary}) {
                    if (sink != null) {
                        sink.close();
                    }
                }
            } finally {
                if (dns != null) {
                    dns.close();
                }
            }
        }
    }

    @Test
    void shouldDeliverToTheLowestPreferenceMx() throws Exception {
        String messageId = Messages.newMessageId();
        try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
            client.send("app@example.test", "someone@example.test",
                Messages.simple(messageId, "app@example.test", "someone@example.test", "Direct", "via MX\r\n"));
        }

        SmtpSink.Received message = awaitReceived(primary, 1).get(0);
        assertThat(message.mailFrom()).isEqualTo("app@example.test");
        assertThat(message.rcptTo()).containsExactly("someone@example.test");
        assertThat(message.header("Message-ID")).isEqualTo(messageId);
        assertThat(message.body()).isEqualTo("via MX\r\n");
        assertThat(secondary.connections()).isZero();
        assertThat(dns.log()).contains("query[MX] example.test", "query[A] mx1.example.test");
    }

    @Test
    void shouldFallBackToTheNextMxWhenTheFirstRefuses() throws Exception {
        primary.greetWith("421 4.3.2 Service not available, closing transmission channel");
        String messageId = Messages.newMessageId();
        try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
            client.send("app@example.test", "someone@example.test",
                Messages.simple(messageId, "app@example.test", "someone@example.test", "Direct", "via the backup MX\r\n"));
        }

        SmtpSink.Received message = awaitReceived(secondary, 1).get(0);
        assertThat(message.header("Message-ID")).isEqualTo(messageId);
        assertThat(primary.connections()).as("the preferred MX is tried first").isPositive();
        assertThat(primary.received()).isEmpty();
    }

    @Test
    void shouldBounceToTheSenderWhenTheRecipientDomainDoesNotExist() throws Exception {
        String messageId = Messages.newMessageId();
        try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
            client.send("app@example.test", "someone@nowhere.test",
                Messages.simple(messageId, "app@example.test", "someone@nowhere.test", "Lost", "no such domain\r\n"));
        }

        // The only message reaching example.test's MX is the DSN: nothing can be delivered for nowhere.test.
        List<SmtpSink.Received> received = awaitReceived(primary, 1);
        SmtpSink.Received dsn = received.get(0);
        assertThat(dsn.mailFrom()).isEmpty();
        assertThat(dsn.rcptTo()).containsExactly("app@example.test");
        assertThat(dsn.header("To")).contains("app@example.test");
        assertThat(dsn.header("Content-Type"))
            .contains("multipart/report")
            .contains("report-type=delivery-status");
        assertThat(dsn.text())
            .contains("Final-Recipient: rfc822; someone@nowhere.test")
            .contains("Action: failed")
            .contains("Status: 5.4.4")
            .contains("Host or domain name not found: nowhere.test")
            .contains("Message-ID: " + messageId);
        assertThat(dns.log()).contains("query[MX] nowhere.test", "config nowhere.test is NXDOMAIN");
    }

    /** Waits for {@code count} messages, then a moment more to catch any unexpected extra one. */
    private List<SmtpSink.Received> awaitReceived(SmtpSink mx, int count) throws InterruptedException {
        try {
            await().atMost(DELIVERY_TIMEOUT).until(() -> mx.received().size() >= count);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(mx.received().size() + " of " + count + " messages at MX port " + mx.port()
                + " within " + DELIVERY_TIMEOUT + "; dnsmasq log:\n" + dns.log(), e);
        }
        Thread.sleep(1000);
        assertThat(mx.received()).hasSize(count);
        return mx.received();
    }

    private static void requireEnvironment(boolean condition, String problem) {
        Prerequisites.require(condition, "DirectMxDeliveryTest cannot run here: it needs root, dnsmasq (.ci/run installs it), and "
            + DNS_ADDRESS + ":53, " + PRIMARY_ADDRESS + ":25 and " + SECONDARY_ADDRESS + ":25 free. " + problem);
    }
}
