package io.sendonly.server.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.BindException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.events.BounceClass;
import io.sendonly.events.EventType;
import io.sendonly.events.MessageEvent;
import io.sendonly.server.testing.Dnsmasq;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.Prerequisites;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.TestCa;
import io.sendonly.server.testing.TestServer;

/**
 * The TLS policy table and route levels through the real server, direct to MX hosts on port 25 found through a real
 * DNS server (dnsmasq on 127.0.0.60): {@code conf/tls_policy} pins {@code secure} for a domain whose MX presents a
 * certificate for its name from the table's {@code tafile=} authority (delivered), and for one whose MX presents
 * another name (deferred 4.7.5, nothing sent); {@code encrypt} for an MX without STARTTLS (deferred 4.7.4);
 * {@code none} for an MX offering STARTTLS (delivered in clear). A route {@code --tls=verify --x509cafile} reaches its
 * smart host over verified TLS.
 *
 * <p>Needs root (ports 53 and 25) and dnsmasq; {@code .ci/run} installs dnsmasq.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsPolicyIntegrationTest {
    private static final String DNS_ADDRESS = "127.0.0.60";
    private static final String GOOD_MX = "127.0.0.61";
    private static final String MISNAMED_MX = "127.0.0.62";
    private static final String PLAIN_MX = "127.0.0.63";
    private static final String RELAY = "127.0.0.64";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    /** Closed last first after the tests: the server, the sinks, the DNS server. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final List<MessageEvent> events = new CopyOnWriteArrayList<>();
    private SmtpSink good;
    private SmtpSink misnamed;
    private SmtpSink plain;
    private SmtpSink relay;
    private TestServer server;

    @BeforeAll
    void start(@TempDir Path workingDirectory) throws Exception {
        requireEnvironment(Prerequisites.isRoot(), "binding ports 53 and 25 needs root");
        requireEnvironment(Dnsmasq.executable().isPresent(), "dnsmasq is not installed");
        TestCa ca = TestCa.create("TLS policy test CA");
        try {
            started(Dnsmasq.on(DNS_ADDRESS)
                .mx("good.test", "mx.good.test", 10).a("mx.good.test", GOOD_MX)
                .mx("misnamed.test", "mx.misnamed.test", 10).a("mx.misnamed.test", MISNAMED_MX)
                .mx("plain.test", "mx.plain.test", 10).a("mx.plain.test", PLAIN_MX)
                .mx("clear.test", "mx.good.test", 10)
                .a("relay.test", RELAY)
                .localDomain("test")
                .start());
            good = started(sink(GOOD_MX, ca.issue("mx.good.test").serverContext()));
            misnamed = started(sink(MISNAMED_MX, ca.issue("mx.other.test").serverContext()));
            plain = started(SmtpSink.start(InetAddress.getByName(PLAIN_MX), 25));
            relay = started(sink(RELAY, ca.issue("relay.test").serverContext()));
        } catch (Dnsmasq.PortTakenException | BindException e) {
            stop();
            requireEnvironment(false, e.getMessage());
        }
        server = TestServer.prepare(workingDirectory)
            .editXml("dnsservice.xml", xml -> xml
                .set("/dnsservice/autodiscover", "false")
                .set("/dnsservice/servers", "")
                .set("/dnsservice/servers/server", DNS_ADDRESS))
            .routes("recipient routed.test relay.test smtp --tls=verify --x509cafile=test-ca.pem\n")
            .delivery("retrySchedule", "1s");
        ca.writeCertificate(server.conf("test-ca.pem"));
        Files.writeString(server.conf("tls_policy"), """
            good.test      secure tafile=test-ca.pem
            misnamed.test  secure tafile=test-ca.pem
            plain.test     encrypt
            clear.test     none
            """);
        started(server.start());
        server.events().subscribe(events::add);
    }

    @AfterAll
    void stop() throws Exception {
        while (!started.isEmpty()) {
            started.pop().close();
        }
    }

    private <T extends AutoCloseable> T started(T resource) {
        started.push(resource);
        return resource;
    }

    private static void requireEnvironment(boolean condition, String problem) {
        Prerequisites.require(condition, "TlsPolicyIntegrationTest cannot run here: it needs root, dnsmasq (.ci/run installs it), and "
            + DNS_ADDRESS + ":53 and port 25 of " + GOOD_MX + " to " + RELAY + " free. " + problem);
    }

    @Test
    void secureWithACertificateNamingTheMxShouldDeliverOverTls() throws Exception {
        send("someone@good.test");

        SmtpSink.Received received = awaitReceived(good, "someone@good.test");
        assertThat(received.tls()).isTrue();
    }

    @Test
    void secureWithACertificateForAnotherNameShouldDefer475AndSendNothing() throws Exception {
        send("someone@misnamed.test");

        MessageEvent deferred = awaitEvent("someone@misnamed.test", EventType.DEFERRED);
        assertThat(deferred.status()).contains("4.7.5");
        assertThat(deferred.bounceClass()).contains(BounceClass.TLS);
        assertThat(deferred.details().get("reply")).contains("secure").contains("mx.other.test");
        assertThat(misnamed.received()).isEmpty();
    }

    @Test
    void encryptToAnMxWithoutStartTlsShouldDefer474AndSendNothing() throws Exception {
        send("someone@plain.test");

        MessageEvent deferred = awaitEvent("someone@plain.test", EventType.DEFERRED);
        assertThat(deferred.status()).contains("4.7.4");
        assertThat(deferred.bounceClass()).contains(BounceClass.TLS);
        assertThat(deferred.details().get("reply")).contains("STARTTLS not offered");
        assertThat(plain.connections()).isPositive();
        assertThat(plain.received()).isEmpty();
    }

    @Test
    void noneShouldNeverStartTlsEvenWhenOffered() throws Exception {
        send("someone@clear.test");

        SmtpSink.Received received = awaitReceived(good, "someone@clear.test");
        assertThat(received.tls()).isFalse();
    }

    @Test
    void aRouteAtVerifyWithItsOwnAuthorityShouldDeliverOverTls() throws Exception {
        send("someone@routed.test");

        SmtpSink.Received received = awaitReceived(relay, "someone@routed.test");
        assertThat(received.tls()).isTrue();
    }

    private static SmtpSink sink(String address, SSLContext tls) throws Exception {
        return SmtpSink.startWithStartTls(InetAddress.getByName(address), 25, tls);
    }

    private void send(String recipient) throws Exception {
        try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
            client.send("app@example.com", recipient, Messages.simple(Messages.newMessageId(), "app@example.com", recipient, "TLS", "body\r\n"));
        }
    }

    private static SmtpSink.Received awaitReceived(SmtpSink sink, String recipient) {
        return await().atMost(TIMEOUT).until(() -> sink.received().stream().filter(received -> received.rcptTo().contains(recipient))
            .findFirst(), Optional::isPresent).orElseThrow();
    }

    private MessageEvent awaitEvent(String recipient, EventType type) {
        return await().atMost(TIMEOUT).until(() -> events.stream()
            .filter(event -> event.type() == type && event.recipient().filter(recipient::equals).isPresent()).findFirst(),
            Optional::isPresent).orElseThrow();
    }
}
