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
 * Delivery as shipped: no gateway, so RemoteDelivery looks up the recipient domain's MX through dnsjava and
 * connects to it on port 25. A real DNS server (dnsmasq, on 127.0.0.153:53) serves
 * {@code example.test MX mx.example.test} and {@code mx.example.test A 127.0.0.26}, where an SMTP sink listens on
 * port 25; {@code nowhere.test} does not exist (NXDOMAIN).
 *
 * <p>Needs root (ports 53 and 25) and dnsmasq; {@code .ci/run} installs dnsmasq.
 */
class DirectMxDeliveryTest {
    /** Not 127.0.0.1, nor systemd-resolved's 127.0.0.53 and 127.0.0.54. */
    private static final String DNS_ADDRESS = "127.0.0.153";
    private static final String MX_ADDRESS = "127.0.0.26";
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path workingDirectory;

    private Dnsmasq dns;
    private SmtpSink mx;
    private TestServer server;

    @BeforeEach
    void setUp() throws Exception {
        requireEnvironment(Prerequisites.isRoot(), "binding ports 53 and 25 needs root");
        requireEnvironment(Dnsmasq.executable().isPresent(), "dnsmasq is not installed");

        try {
            dns = Dnsmasq.on(DNS_ADDRESS)
                .mx("example.test", "mx.example.test")
                .a("mx.example.test", MX_ADDRESS)
                .localDomain("test")
                .start();
        } catch (Dnsmasq.PortTakenException e) {
            requireEnvironment(false, e.getMessage());
        }
        try {
            mx = SmtpSink.start(InetAddress.getByName(MX_ADDRESS), 25);
        } catch (BindException e) {
            requireEnvironment(false, MX_ADDRESS + ":25 is taken (a local MTA listening on all addresses?): " + e);
        }

        server = TestServer.prepare(workingDirectory)
            .editXml("dnsservice.xml", xml -> xml
                .set("/dnsservice/autodiscover", "false")
                .set("/dnsservice/servers", "")
                .set("/dnsservice/servers/server", DNS_ADDRESS))
            .mailetContainerXml(xml -> xml
                // As shipped, a domain without DNS entries is retried 4 times (maxDnsProblemRetries) on the
                // 5-minute schedule before it bounces; 0 bounces it at the first attempt. The short delay only
                // matters should some attempt fail temporarily.
                .set("//mailet[@class='RemoteDelivery']/maxDnsProblemRetries", "0")
                .set("//mailet[@class='RemoteDelivery']/delayTime", "1 seconds"))
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
                if (mx != null) {
                    mx.close();
                }
            } finally {
                if (dns != null) {
                    dns.close();
                }
            }
        }
    }

    @Test
    void shouldDeliverToTheRecipientDomainsMx() throws Exception {
        String messageId = Messages.newMessageId();
        try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
            client.send("app@example.test", "someone@example.test",
                Messages.simple(messageId, "app@example.test", "someone@example.test", "Direct", "via MX\r\n"));
        }

        List<SmtpSink.Received> received = awaitReceived(1);
        SmtpSink.Received message = received.get(0);
        assertThat(message.mailFrom()).isEqualTo("app@example.test");
        assertThat(message.rcptTo()).containsExactly("someone@example.test");
        assertThat(message.header("Message-ID")).isEqualTo(messageId);
        assertThat(message.body()).isEqualTo("via MX\r\n");
        assertThat(dns.log()).contains("query[MX] example.test", "query[A] mx.example.test");
    }

    @Test
    void shouldBounceToTheSenderWhenTheRecipientDomainDoesNotExist() throws Exception {
        String messageId = Messages.newMessageId();
        try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
            client.send("app@example.test", "someone@nowhere.test",
                Messages.simple(messageId, "app@example.test", "someone@nowhere.test", "Lost", "no such domain\r\n"));
        }

        // The only message reaching example.test's MX is the DSN: nothing can be delivered for nowhere.test.
        List<SmtpSink.Received> received = awaitReceived(1);
        SmtpSink.Received dsn = received.get(0);
        assertThat(dsn.mailFrom()).isEmpty();
        assertThat(dsn.rcptTo()).containsExactly("app@example.test");
        assertThat(dsn.header("To")).contains("app@example.test");
        assertThat(dsn.header("Content-Type"))
            .contains("multipart/report")
            .contains("report-type=delivery-status");
        // Not asserted: "Status:". James 3.8.1's DSNBounce writes RemoteDelivery's error text there ("Status: There
        // are no DNS entries for the hostname Domain : nowhere.test. ..."), not an RFC 3464 code such as 5.1.2.
        assertThat(dsn.text())
            .contains("Final-Recipient: rfc822; someone@nowhere.test")
            .contains("Action: failed")
            .contains("There are no DNS entries for the hostname")
            .contains("Message-ID: " + messageId);
        assertThat(dns.log()).contains("query[MX] nowhere.test", "config nowhere.test is NXDOMAIN");
    }

    /** Waits for {@code count} messages, then a moment more to catch any unexpected extra one. */
    private List<SmtpSink.Received> awaitReceived(int count) throws InterruptedException {
        try {
            await().atMost(DELIVERY_TIMEOUT).until(() -> mx.received().size() >= count);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(mx.received().size() + " of " + count + " messages at " + MX_ADDRESS
                + ":25 within " + DELIVERY_TIMEOUT + "; dnsmasq log:\n" + dns.log(), e);
        }
        Thread.sleep(1000);
        assertThat(mx.received()).hasSize(count);
        return mx.received();
    }

    private static void requireEnvironment(boolean condition, String problem) {
        Prerequisites.require(condition, "DirectMxDeliveryTest cannot run here: it needs root, dnsmasq (.ci/run installs it), and "
            + DNS_ADDRESS + ":53 and " + MX_ADDRESS + ":25 free. " + problem);
    }
}
