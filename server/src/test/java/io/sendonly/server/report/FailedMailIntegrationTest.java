package io.sendonly.server.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.WebAdmin;

/** A permanently refused mail: DSN to the sender, the mail kept on disk, listed and reprocessed through webadmin. */
class FailedMailIntegrationTest {
    private static final String BOUNCED = "/mailRepositories/" + URLEncoder.encode("var/mail/bounced", StandardCharsets.UTF_8);

    @RegisterExtension
    final RelayedServer relayed = new RelayedServer();

    @Test
    void permanentFailureShouldBounceToSenderAndKeepTheMailForReprocessing() throws Exception {
        relayed.sink().rejectRecipient("nobody@example.net", "550 5.1.1 No such user");
        String messageId = Messages.newMessageId();
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send("app@example.com", "nobody@example.net",
                Messages.simple(messageId, "app@example.com", "nobody@example.net", "Reset your password", "body\r\n"));
        }

        WebAdmin webAdmin = relayed.webAdmin();
        await().atMost(Duration.ofSeconds(30)).until(() -> webAdmin.get(BOUNCED).body().contains("\"size\":1"));
        assertThat(webAdmin.get(BOUNCED + "/mails").body()).startsWith("[\"");

        relayed.sink().acceptAllRecipients();
        assertThat(webAdmin.patch(BOUNCED + "/mails?action=reprocess&queue=spool&processor=transport").statusCode()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().stream().anyMatch(r -> r.rcptTo().contains("nobody@example.net")));
        SmtpSink.Received redelivered = relayed.sink().received().stream().filter(r -> r.rcptTo().contains("nobody@example.net")).findFirst().orElseThrow();
        assertThat(redelivered.header("Message-ID")).isEqualTo(messageId);
        assertThat(redelivered.rcptTo()).containsExactly("nobody@example.net");
        await().atMost(Duration.ofSeconds(30)).until(() -> webAdmin.get(BOUNCED).body().contains("\"size\":0"));
    }

    @Test
    void permanentFailureShouldSendDeliveryStatusNotificationToSender() throws Exception {
        relayed.sink().rejectRecipient("nobody@example.net", "550 5.1.1 No such user");
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send("app@example.com", "nobody@example.net",
                Messages.simple(Messages.newMessageId(), "app@example.com", "nobody@example.net", "Reset", "body\r\n"));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().stream().anyMatch(r -> r.rcptTo().contains("app@example.com")));
        SmtpSink.Received dsn = relayed.sink().received().stream().filter(r -> r.rcptTo().contains("app@example.com")).findFirst().orElseThrow();
        assertThat(dsn.mailFrom()).isEmpty();
        assertThat(dsn.header("Content-Type")).contains("multipart/report").contains("delivery-status");
        assertThat(dsn.text()).contains("nobody@example.net").contains("550 5.1.1");
    }
}
