package io.sendonly.server.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.Distribution;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.TestCa;
import io.sendonly.server.testing.TestServer;
import io.sendonly.server.testing.WebAdmin;

/**
 * Route table against real SMTP peers on loopback: failover between smart hosts, STARTTLS verified against a test
 * CA, AUTH, required TLS never downgraded, and recipient- and sender-domain routes.
 */
class RoutingIntegrationTest {
    private static final String ADMIN = "ops@example.com";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path workingDirectory;

    @RegisterExtension
    final Closer closer = new Closer();

    private TestCa ca;
    private Path caFile;

    @BeforeEach
    void setUp() throws Exception {
        ca = TestCa.create("Test Relay CA");
        caFile = ca.writeCertificate(Files.createTempFile(workingDirectory, "relay-ca", ".pem"));
    }

    @Test
    void firstSmartHostDownShouldFailOverToTheSecond() throws Exception {
        int down = Distribution.freePort();
        SmtpSink second = closer.register(SmtpSink.start());
        TestServer server = start("default [127.0.0.1]:" + down + "\ndefault [127.0.0.1]:" + second.port() + "\n");

        String messageId = send(server, "app@example.com", "user@example.net");

        assertThat(awaitMessageTo(second, "user@example.net").header("Message-ID")).isEqualTo(messageId);
    }

    /** spool: first attempt on the spooler thread, the deferred mail queued; queue: outgoing queue from the start. */
    @ParameterizedTest
    @ValueSource(strings = {"spool", "queue"})
    void deferredFirstAttemptShouldBeRetriedFromTheOutgoingQueue(String firstAttempt) throws Exception {
        SmtpSink relay = closer.register(SmtpSink.start());
        relay.rejectRecipient("user@example.net", "451 4.3.0 Try again later");
        TestServer server = closer.register(TestServer.prepare(workingDirectory.resolve("server"))
            .routes("default [127.0.0.1]:" + relay.port() + "\n")
            .delivery("retrySchedule", "2s")
            .delivery("firstAttempt", firstAttempt)
            .start());

        String messageId = send(server, "app@example.com", "user@example.net");
        await().atMost(TIMEOUT).until(() -> relay.rejected() == 1);
        relay.acceptAllRecipients();

        assertThat(awaitMessageTo(relay, "user@example.net").header("Message-ID")).isEqualTo(messageId);
        assertThat(relay.received()).hasSize(1);
    }

    @Test
    void firstSmartHostAnswering421ShouldFailOverToTheSecond() throws Exception {
        SmtpSink first = closer.register(SmtpSink.start());
        first.greetWith("421 4.3.2 Service not available, closing transmission channel");
        SmtpSink second = closer.register(SmtpSink.start());
        TestServer server = start("default [127.0.0.1]:" + first.port() + "\ndefault [127.0.0.1]:" + second.port() + "\n");

        String messageId = send(server, "app@example.com", "user@example.net");

        assertThat(awaitMessageTo(second, "user@example.net").header("Message-ID")).isEqualTo(messageId);
        assertThat(first.connections()).isPositive();
        assertThat(first.received()).isEmpty();
    }

    @Test
    void firstSmartHostSilentShouldTimeOutAndFailOverToTheSecond() throws Exception {
        SmtpSink first = closer.register(SmtpSink.start());
        first.greetWith("");
        SmtpSink second = closer.register(SmtpSink.start());
        TestServer server = start("default [127.0.0.1]:" + first.port() + "\ndefault [127.0.0.1]:" + second.port() + "\n",
            "5d", "2s");

        String messageId = send(server, "app@example.com", "user@example.net");

        assertThat(awaitMessageTo(second, "user@example.net").header("Message-ID")).isEqualTo(messageId);
        assertThat(first.connections()).isPositive();
    }

    @Test
    void smartHostWithImplicitTlsShouldGetTheMessageEncryptedFromTheFirstByte() throws Exception {
        SmtpSink relay = closer.register(SmtpSink.startWithImplicitTls(ca.serverContext("127.0.0.1")));
        relay.requireAuth("apikey", "s3cret");
        TestServer server = start("default 127.0.0.1 smtp --ssl --port=" + relay.port() + " --user=apikey --pass=s3cret --x509cafile="
            + caFile + "\n");

        String messageId = send(server, "app@example.com", "user@example.net");

        SmtpSink.Received received = awaitMessageTo(relay, "user@example.net");
        assertThat(received.header("Message-ID")).isEqualTo(messageId);
        assertThat(received.tls()).isTrue();
        assertThat(received.authenticatedAs()).isEqualTo("apikey");
    }

    @ParameterizedTest(name = "AUTH{0}")
    @ValueSource(strings = {"", " --auth-login"})
    void smartHostShouldGetOurCredentialsOverVerifiedStartTls(String method) throws Exception {
        SmtpSink relay = closer.register(SmtpSink.startWithStartTls(ca.serverContext("127.0.0.1")));
        relay.requireAuth("apikey", "s3cret");
        TestServer server = start("default 127.0.0.1 smtp --port=" + relay.port() + " --starttls --user=apikey --pass=s3cret"
            + method + " --x509cafile=" + caFile + "\n");

        String messageId = send(server, "app@example.com", "user@example.net");

        SmtpSink.Received received = awaitMessageTo(relay, "user@example.net");
        assertThat(received.header("Message-ID")).isEqualTo(messageId);
        assertThat(received.tls()).isTrue();
        assertThat(received.authenticatedAs()).isEqualTo("apikey");
    }

    @Test
    void wrongCredentialsShouldDeferThenReportToSenderAndAdmin() throws Exception {
        SmtpSink relay = closer.register(SmtpSink.startWithStartTls(ca.serverContext("127.0.0.1")));
        relay.requireAuth("apikey", "s3cret");
        SmtpSink reports = closer.register(SmtpSink.start());
        TestServer server = start("recipient example.net 127.0.0.1 smtp --port=" + relay.port()
            + " --starttls --user=apikey --pass=wrong-Pa55 --x509cafile=" + caFile + "\n"
            + "default [127.0.0.1]:" + reports.port() + "\n", "3s");

        send(server, "app@example.com", "user@example.net");

        SmtpSink.Received dsn = awaitMessageTo(reports, "app@example.com");
        assertThat(dsn.mailFrom()).isEmpty();
        assertThat(dsn.text())
            .contains("Final-Recipient: rfc822; user@example.net")
            .contains("Action: failed")
            .contains("Status: 5.4.7")
            .contains("535 5.7.8")
            .contains("SASL authentication as apikey failed")
            .doesNotContain("wrong-Pa55");
        SmtpSink.Received notice = awaitMessageTo(reports, ADMIN);
        assertThat(notice.text()).contains("Final-Recipient: rfc822; user@example.net").doesNotContain("wrong-Pa55");
        assertThat(relay.connections()).as("tried, and retried").isGreaterThanOrEqualTo(2);
        assertThat(relay.received()).isEmpty();
        assertThat(Files.readString(server.workingDirectory().resolve("conf/routes"))).contains("wrong-Pa55");
    }

    @Test
    void credentialsWithoutATlsOptionShouldRequireStartTlsNeverGoInClear() throws Exception {
        SmtpSink plain = closer.register(SmtpSink.start());
        plain.requireAuth("apikey", "s3cret");
        TestServer server = start("default 127.0.0.1 smtp --port=" + plain.port() + " --user=apikey --pass=s3cret\n");

        send(server, "app@example.com", "user@example.net");

        await().atMost(TIMEOUT).until(() -> plain.connections() >= 2);
        assertThat(plain.received()).as("AUTH offered in clear was never used").isEmpty();
    }

    @Test
    void requiredTlsNotOfferedShouldDeferNeverSendInClear() throws Exception {
        SmtpSink plain = closer.register(SmtpSink.start());
        TestServer server = start("default 127.0.0.1 smtp --port=" + plain.port() + " --starttls\n");

        send(server, "app@example.com", "user@example.net");

        await().atMost(TIMEOUT).until(() -> plain.connections() >= 2);
        assertThat(plain.received()).isEmpty();
        WebAdmin webAdmin = server.webAdmin();
        assertThat(webAdmin.get("/mailQueues/outgoing").body()).contains("\"size\":1");
    }

    @Test
    void certificateFromAnotherAuthorityShouldDeferNeverSend() throws Exception {
        SmtpSink impostor = closer.register(SmtpSink.startWithStartTls());
        TestServer server = start("default 127.0.0.1 smtp --port=" + impostor.port() + " --starttls --x509cafile=" + caFile + "\n");

        send(server, "app@example.com", "user@example.net");

        await().atMost(TIMEOUT).until(() -> impostor.connections() >= 2);
        assertThat(impostor.received()).isEmpty();
    }

    @Test
    void connectionShouldBeReusedForTheNextMessageThenClosedWhenIdle() throws Exception {
        SmtpSink relay = closer.register(SmtpSink.start());
        TestServer server = start("default [127.0.0.1]:" + relay.port() + "\n");

        for (int i = 1; i <= 3; i++) {
            send(server, "app@example.com", "user" + i + "@example.net");
            awaitMessageTo(relay, "user" + i + "@example.net");
        }
        assertThat(relay.connections()).as("three messages, one connection (connectionCacheTime 2s)").isEqualTo(1);

        Thread.sleep(4000);
        send(server, "app@example.com", "user4@example.net");
        awaitMessageTo(relay, "user4@example.net");
        assertThat(relay.connections()).as("idle longer than 2s: closed, a new one").isEqualTo(2);
        assertThat(relay.received()).hasSize(4);
    }

    @Test
    void recipientRouteThenSenderRouteThenDefaultShouldPickTheHost() throws Exception {
        SmtpSink byRecipient = closer.register(SmtpSink.start());
        SmtpSink bySender = closer.register(SmtpSink.start());
        SmtpSink byDefault = closer.register(SmtpSink.start());
        TestServer server = start("recipient example.net [127.0.0.1]:" + byRecipient.port() + "\n"
            + "sender billing.example.com [127.0.0.1]:" + bySender.port() + "\n"
            + "default [127.0.0.1]:" + byDefault.port() + "\n");

        send(server, "app@example.com", "a@example.net");
        send(server, "invoices@billing.example.com", "b@example.org");
        send(server, "app@example.com", "c@example.org");
        send(server, "invoices@billing.example.com", "d@example.net");

        assertThat(awaitMessageTo(byRecipient, "a@example.net").mailFrom()).isEqualTo("app@example.com");
        assertThat(awaitMessageTo(bySender, "b@example.org").mailFrom()).isEqualTo("invoices@billing.example.com");
        assertThat(awaitMessageTo(byDefault, "c@example.org").mailFrom()).isEqualTo("app@example.com");
        assertThat(awaitMessageTo(byRecipient, "d@example.net").mailFrom()).as("the recipient route comes first")
            .isEqualTo("invoices@billing.example.com");
        assertThat(byRecipient.received()).hasSize(2);
        assertThat(bySender.received()).hasSize(1);
        assertThat(byDefault.received()).hasSize(1);
    }

    private TestServer start(String routes) throws Exception {
        return start(routes, "5d");
    }

    private TestServer start(String routes, String maxQueueLifetime) throws Exception {
        return start(routes, maxQueueLifetime, "300s");
    }

    private TestServer start(String routes, String maxQueueLifetime, String timeout) throws Exception {
        return closer.register(TestServer.prepare(workingDirectory.resolve("server"))
            .routes(routes)
            .mailetContainerXml(xml -> xml.set("/mailetcontainer/context/postmaster", ADMIN))
            .delivery("retrySchedule", "1s")
            .delivery("maxQueueLifetime", maxQueueLifetime)
            .delivery("timeout", timeout)
            .start());
    }

    private static String send(TestServer server, String sender, String recipient) throws Exception {
        String messageId = Messages.newMessageId();
        try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
            client.send(sender, List.of(recipient), Messages.simple(messageId, sender, recipient, "Routed", "body\r\n"));
        }
        return messageId;
    }

    private static SmtpSink.Received awaitMessageTo(SmtpSink sink, String recipient) {
        await().atMost(TIMEOUT).until(() -> sink.received().stream().anyMatch(r -> r.rcptTo().contains(recipient)));
        return sink.received().stream().filter(r -> r.rcptTo().contains(recipient)).findFirst().orElseThrow();
    }
}
