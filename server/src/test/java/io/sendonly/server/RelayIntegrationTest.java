package io.sendonly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;

class RelayIntegrationTest {
    @RegisterExtension
    final RelayedServer relayed = new RelayedServer();

    @Test
    void relayShouldDeliverHeadersAndEightBitBodyIntactAndSevenBitSafe() throws Exception {
        String messageId = Messages.newMessageId();
        String body = "Grüße aus Köln — ünïcødé body\r\nsecond line\r\n.leading dot\r\n";
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send("app@example.com", "user@example.net",
                Messages.simple(messageId, "App <app@example.com>", "user@example.net", "Welcome", body));
        }

        SmtpSink.Received received = awaitOne();
        assertThat(received.helo()).isEqualTo("localhost");
        assertThat(received.mailFrom()).isEqualTo("app@example.com");
        assertThat(received.rcptTo()).containsExactly("user@example.net");
        assertThat(received.header("Message-ID")).isEqualTo(messageId);
        assertThat(received.header("Subject")).isEqualTo("Welcome");
        assertThat(received.header("From")).isEqualTo("App <app@example.com>");
        assertThat(received.header("Content-Transfer-Encoding")).isEqualTo("quoted-printable");
        assertThat(received.body().chars()).allMatch(c -> c < 128);
        MimeMessage delivered = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(received.data()));
        assertThat(new String(delivered.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(body);
    }

    @Test
    void relayShouldDeliverFiveMegabyteMessage() throws Exception {
        StringBuilder body = new StringBuilder();
        String line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\r\n";
        while (body.length() < 5 * 1024 * 1024) {
            body.append(line);
        }
        String messageId = Messages.newMessageId();
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send("app@example.com", "user@example.net",
                Messages.simple(messageId, "app@example.com", "user@example.net", "Big", body.toString()));
        }

        SmtpSink.Received received = awaitOne();
        assertThat(received.header("Message-ID")).isEqualTo(messageId);
        assertThat(received.body().getBytes(StandardCharsets.UTF_8)).hasSize(body.length());
        assertThat(received.body()).isEqualTo(body.toString());
    }

    @Test
    void relayShouldUseStartTlsWhenTheNextHopOffersIt() throws Exception {
        try (SmtpSink tlsSink = SmtpSink.startWithStartTls()) {
            relayed.server().stop();
            relayed.server().relayTo(tlsSink.port()).start();
            try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
                client.send("app@example.com", "user@example.net",
                    Messages.simple(Messages.newMessageId(), "app@example.com", "user@example.net", "tls", "body\r\n"));
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> tlsSink.received().size() == 1);
            assertThat(tlsSink.received().get(0).tls()).isTrue();
        }
    }

    private SmtpSink.Received awaitOne() {
        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().size() == 1);
        return relayed.sink().received().get(0);
    }
}
