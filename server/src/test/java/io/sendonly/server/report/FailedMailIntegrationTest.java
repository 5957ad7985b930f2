package io.sendonly.server.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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

/** A permanently refused mail: DSN to the sender, the mail kept on disk, listed and reprocessed through webadmin. */
class FailedMailIntegrationTest {
    private static final String BOUNCED = "/mailRepositories/" + URLEncoder.encode("var/mail/bounced", StandardCharsets.UTF_8);

    @TempDir
    Path workingDirectory;

    private SmtpSink sink;
    private TestServer server;

    @BeforeEach
    void setUp() throws Exception {
        sink = SmtpSink.start();
        server = TestServer.prepare(workingDirectory).relayTo(sink.port()).start();
    }

    @AfterEach
    void tearDown() throws Exception {
        server.close();
        sink.close();
    }

    @Test
    void permanentFailureShouldBounceToSenderAndKeepTheMailForReprocessing() throws Exception {
        sink.rejectRecipient("nobody@example.net", "550 5.1.1 No such user");
        String messageId = Messages.newMessageId();
        try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
            client.send("app@example.com", "nobody@example.net",
                Messages.simple(messageId, "app@example.com", "nobody@example.net", "Reset your password", "body\r\n"));
        }

        WebAdmin webAdmin = new WebAdmin(server.webAdminPort());
        await().atMost(Duration.ofSeconds(30)).until(() -> webAdmin.get(BOUNCED).body().contains("\"size\":1"));
        assertThat(webAdmin.get(BOUNCED + "/mails").body()).startsWith("[\"");

        sink.acceptAllRecipients();
        assertThat(webAdmin.patch(BOUNCED + "/mails?action=reprocess&queue=spool&processor=transport").statusCode()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().stream().anyMatch(r -> r.rcptTo().contains("nobody@example.net")));
        SmtpSink.Received redelivered = sink.received().stream().filter(r -> r.rcptTo().contains("nobody@example.net")).findFirst().orElseThrow();
        assertThat(redelivered.header("Message-ID")).isEqualTo(messageId);
        assertThat(redelivered.rcptTo()).containsExactly("nobody@example.net");
        await().atMost(Duration.ofSeconds(30)).until(() -> webAdmin.get(BOUNCED).body().contains("\"size\":0"));
    }

    @Test
    void permanentFailureShouldSendDeliveryStatusNotificationToSender() throws Exception {
        sink.rejectRecipient("nobody@example.net", "550 5.1.1 No such user");
        try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
            client.send("app@example.com", "nobody@example.net",
                Messages.simple(Messages.newMessageId(), "app@example.com", "nobody@example.net", "Reset", "body\r\n"));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().stream().anyMatch(r -> r.rcptTo().contains("app@example.com")));
        SmtpSink.Received dsn = sink.received().stream().filter(r -> r.rcptTo().contains("app@example.com")).findFirst().orElseThrow();
        assertThat(dsn.mailFrom()).isEmpty();
        assertThat(dsn.header("Content-Type")).contains("multipart/report").contains("delivery-status");
        assertThat(dsn.text()).contains("nobody@example.net").contains("550 5.1.1");
    }
}
