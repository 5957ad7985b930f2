package io.sendonly.server.accept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.TestServer;
import io.sendonly.server.testing.WebAdmin;

class RelayPolicyIntegrationTest {
    private static final String USER = "webapp";
    private static final String PASSWORD = "s3cret-submission";

    @TempDir
    Path workingDirectory;

    private SmtpSink sink;
    private TestServer server;
    private InetAddress untrustedClient;

    @BeforeEach
    void setUp() throws Exception {
        untrustedClient = InetAddress.getByName("127.0.0.9");
        sink = SmtpSink.start();
        server = TestServer.prepare(workingDirectory)
            .relayTo(sink.port())
            .trustedHosts("# only this host\n127.0.0.1/32\n")
            .start();
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
        sink.close();
    }

    @Test
    void untrustedClientShouldBeRefusedAtRcptAndNothingQueued() throws Exception {
        try (SmtpClient client = SmtpClient.connect(server.smtpPort(), untrustedClient)) {
            assertThat(client.mailFrom("app@example.com")).isEqualTo(250);

            assertThat(client.rcptTo("user@example.net")).isEqualTo(554);
            assertThat(client.lastReply()).contains("5.7.1");
            assertThat(client.data(Messages.simple(Messages.newMessageId(), "app@example.com", "user@example.net", "x", "x\r\n")))
                .isGreaterThanOrEqualTo(500);
        }

        WebAdmin webAdmin = new WebAdmin(server.webAdminPort());
        assertThat(webAdmin.get("/mailQueues/spool").body()).contains("\"size\":0");
        assertThat(webAdmin.get("/mailQueues/outgoing").body()).contains("\"size\":0");
        assertThat(sink.received()).isEmpty();
    }

    @Test
    void trustedClientShouldRelay() throws Exception {
        try (SmtpClient client = SmtpClient.connect(server.smtpPort(), InetAddress.getByName("127.0.0.1"))) {
            client.send("app@example.com", "user@example.net",
                Messages.simple(Messages.newMessageId(), "app@example.com", "user@example.net", "trusted", "body\r\n"));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 1);
    }

    @Test
    void authShouldNotBeOfferedBeforeStartTls() throws Exception {
        try (SmtpClient client = SmtpClient.connect(server.smtpPort(), untrustedClient)) {
            assertThat(client.ehlo()).contains("STARTTLS").doesNotContain("AUTH");

            client.startTls();

            assertThat(client.lastReply()).contains("AUTH");
        }
    }

    @Test
    void untrustedClientShouldRelayAfterAuthOverStartTlsAlsoAfterRestart() throws Exception {
        assertThat(new WebAdmin(server.webAdminPort()).put("/users/" + USER, "{\"password\":\"" + PASSWORD + "\"}").statusCode())
            .isEqualTo(204);

        sendAuthenticated("before restart");
        server.restart();
        sendAuthenticated("after restart");

        await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 2);
        assertThat(sink.received()).extracting(received -> received.header("Subject"))
            .containsExactlyInAnyOrder("before restart", "after restart");
    }

    @Test
    void credentialsShouldBeStoredHashedAndPrivate() throws Exception {
        new WebAdmin(server.webAdminPort()).put("/users/" + USER, "{\"password\":\"" + PASSWORD + "\"}");

        Path users = workingDirectory.resolve("var/users/passwd");
        assertThat(Files.readString(users)).startsWith(USER + "\t").doesNotContain(PASSWORD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(users))).isEqualTo("rw-------");
    }

    @Test
    void wrongPasswordShouldNotAllowRelay() throws Exception {
        new WebAdmin(server.webAdminPort()).put("/users/" + USER, "{\"password\":\"" + PASSWORD + "\"}");

        try (SmtpClient client = SmtpClient.connect(server.smtpPort(), untrustedClient)) {
            client.startTls();
            assertThat(client.authPlain(USER, "wrong")).isFalse();
            assertThat(client.lastCode()).isEqualTo(535);
            client.mailFrom("app@example.com");
            assertThat(client.rcptTo("user@example.net")).isEqualTo(554);
        }
    }

    private void sendAuthenticated(String subject) throws Exception {
        try (SmtpClient client = SmtpClient.connect(server.smtpPort(), untrustedClient)) {
            client.startTls();
            assertThat(client.authPlain(USER, PASSWORD)).as(client.lastReply()).isTrue();
            client.send("app@example.com", "user@example.net",
                Messages.simple(Messages.newMessageId(), "app@example.com", "user@example.net", subject, "body\r\n"));
        }
    }
}
