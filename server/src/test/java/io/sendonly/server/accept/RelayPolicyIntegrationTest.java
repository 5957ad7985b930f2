package io.sendonly.server.accept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.google.common.net.InetAddresses;

import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.WebAdmin;

class RelayPolicyIntegrationTest {
    private static final String USER = "webapp";
    private static final String PASSWORD = "s3cret-submission";

    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(server -> server.trustedHosts("# only this host\n127.0.0.1/32\n"));

    private final InetAddress untrustedClient = InetAddresses.forString("127.0.0.9");

    @Test
    void untrustedClientShouldBeRefusedAtRcptAndNothingQueued() throws Exception {
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort(), untrustedClient)) {
            assertThat(client.mailFrom("app@example.com")).isEqualTo(250);

            assertThat(client.rcptTo("user@example.net")).isEqualTo(554);
            assertThat(client.lastReply()).contains("5.7.1");
            assertThat(client.data(Messages.simple(Messages.newMessageId(), "app@example.com", "user@example.net", "x", "x\r\n")))
                .isGreaterThanOrEqualTo(500);
        }

        WebAdmin webAdmin = relayed.webAdmin();
        assertThat(webAdmin.get("/mailQueues/spool").body()).contains("\"size\":0");
        assertThat(webAdmin.get("/mailQueues/outgoing").body()).contains("\"size\":0");
        assertThat(relayed.sink().received()).isEmpty();
    }

    @Test
    void trustedClientShouldRelay() throws Exception {
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort(), InetAddress.getByName("127.0.0.1"))) {
            client.send("app@example.com", "user@example.net",
                Messages.simple(Messages.newMessageId(), "app@example.com", "user@example.net", "trusted", "body\r\n"));
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> relayed.sink().received().size() == 1);
    }

    @Test
    void authShouldNotBeOfferedBeforeStartTls() throws Exception {
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort(), untrustedClient)) {
            assertThat(client.ehlo()).contains("STARTTLS").doesNotContain("AUTH");

            client.startTls();

            assertThat(client.lastReply()).contains("AUTH");
        }
    }

    @Test
    void untrustedClientShouldRelayAfterAuthOverStartTlsAlsoAfterRestart() throws Exception {
        assertThat(relayed.webAdmin().put("/users/" + USER, "{\"password\":\"" + PASSWORD + "\"}").statusCode())
            .isEqualTo(204);

        sendAuthenticated("before restart");
        relayed.server().restart();
        sendAuthenticated("after restart");

        await().atMost(Duration.ofSeconds(30)).until(() -> relayed.sink().received().size() == 2);
        assertThat(relayed.sink().received()).extracting(received -> received.header("Subject"))
            .containsExactlyInAnyOrder("before restart", "after restart");
    }

    @Test
    void credentialsShouldBeStoredHashedAndPrivate() throws Exception {
        relayed.webAdmin().put("/users/" + USER, "{\"password\":\"" + PASSWORD + "\"}");

        Path users = relayed.server().workingDirectory().resolve("var/users/passwd");
        assertThat(Files.readString(users)).startsWith(USER + "\t").doesNotContain(PASSWORD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(users))).isEqualTo("rw-------");
    }

    @Test
    void wrongPasswordShouldNotAllowRelay() throws Exception {
        relayed.webAdmin().put("/users/" + USER, "{\"password\":\"" + PASSWORD + "\"}");

        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort(), untrustedClient)) {
            client.startTls();
            assertThat(client.authPlain(USER, "wrong")).isFalse();
            assertThat(client.lastCode()).isEqualTo(535);
            client.mailFrom("app@example.com");
            assertThat(client.rcptTo("user@example.net")).isEqualTo(554);
        }
    }

    private void sendAuthenticated(String subject) throws Exception {
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort(), untrustedClient)) {
            client.startTls();
            assertThat(client.authPlain(USER, PASSWORD)).as(client.lastReply()).isTrue();
            client.send("app@example.com", "user@example.net",
                Messages.simple(Messages.newMessageId(), "app@example.com", "user@example.net", subject, "body\r\n"));
        }
    }
}
