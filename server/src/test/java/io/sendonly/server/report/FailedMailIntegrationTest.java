package io.sendonly.server.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import javax.mail.BodyPart;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.WebAdmin;

/**
 * A permanently refused mail: an RFC 3464 DSN to the sender, a headers-only copy to the admin, the mail kept on
 * disk, listed and reprocessed through webadmin; a deferred mail: a delay warning to the sender.
 */
class FailedMailIntegrationTest {
    private static final String ADMIN = "ops@example.com";
    private static final String BOUNCED = "/mailRepositories/" + URLEncoder.encode("var/mail/failed", StandardCharsets.UTF_8);

    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(server -> server
        .mailetContainerXml(xml -> xml.set("/mailetcontainer/context/postmaster", ADMIN))
        .delivery("retrySchedule", "1s")
        .delivery("delayWarningTime", "1s"));

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
        // The 550 5.1.1 put the address on the suppression list: fixed since, it comes off before the retry.
        assertThat(webAdmin.delete("/sendonly/suppressions/nobody@example.net").statusCode()).isEqualTo(204);
        assertThat(webAdmin.patch(BOUNCED + "/mails?action=reprocess&queue=spool&processor=transport").statusCode()).isEqualTo(201);

        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().stream().anyMatch(r -> r.rcptTo().contains("nobody@example.net")));
        SmtpSink.Received redelivered = relayed.sink().received().stream().filter(r -> r.rcptTo().contains("nobody@example.net")).findFirst().orElseThrow();
        assertThat(redelivered.header("Message-ID")).isEqualTo(messageId);
        assertThat(redelivered.rcptTo()).containsExactly("nobody@example.net");
        await().atMost(Duration.ofSeconds(30)).until(() -> webAdmin.get(BOUNCED).body().contains("\"size\":0"));
    }

    @Test
    void permanentFailureShouldSendDeliveryStatusNotificationToSenderAndNoticeToAdmin() throws Exception {
        relayed.sink().rejectRecipient("nobody@example.net", "550 5.1.1 <nobody@example.net>: Recipient address rejected");
        String messageId = Messages.newMessageId();
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send("app@example.com", List.of("nobody@example.net", "someone@example.net"),
                Messages.simple(messageId, "app@example.com", "nobody@example.net", "Reset", "https://app.test/reset/4f3a\r\n"));
        }

        SmtpSink.Received dsn = awaitMessageTo("app@example.com");
        assertThat(dsn.mailFrom()).isEmpty();
        MimeMessage report = parse(dsn);
        assertThat(report.getContentType()).contains("multipart/report").contains("report-type=delivery-status");
        MimeMultipart parts = (MimeMultipart) report.getContent();
        assertThat(parts.getCount()).isEqualTo(3);
        String status = text(parts.getBodyPart(1));
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("message/delivery-status");
        assertThat(status)
            .contains("Final-Recipient: rfc822; nobody@example.net")
            .contains("Action: failed")
            .contains("Status: 5.1.1")
            .contains("Diagnostic-Code: smtp; 550 5.1.1 <nobody@example.net>: Recipient address rejected")
            .contains("X-Sendonly-Bounce-Class: hard")
            .doesNotContain("someone@example.net");
        assertThat(text(parts.getBodyPart(0))).contains("Recipient address rejected (hard)");
        assertThat(parts.getBodyPart(2).getContentType()).startsWith("message/rfc822");
        assertThat(text(parts.getBodyPart(2))).contains("Message-ID: " + messageId).contains("https://app.test/reset/4f3a");

        SmtpSink.Received notice = awaitMessageTo(ADMIN);
        assertThat(notice.mailFrom()).isEmpty();
        MimeMultipart noticeParts = (MimeMultipart) parse(notice).getContent();
        assertThat(text(noticeParts.getBodyPart(1))).contains("Final-Recipient: rfc822; nobody@example.net").contains("Status: 5.1.1");
        assertThat(noticeParts.getBodyPart(2).getContentType()).startsWith("text/rfc822-headers");
        assertThat(text(noticeParts.getBodyPart(2))).contains("Message-ID: " + messageId).doesNotContain("https://app.test/reset/4f3a");

        assertThat(relayed.sink().received().stream().filter(r -> r.rcptTo().contains("someone@example.net")).count()).isEqualTo(1);
    }

    @Test
    void deferredMailShouldWarnTheSenderOnceAndStillBeDelivered() throws Exception {
        relayed.sink().rejectRecipient("busy@example.net", "451 4.2.0 <busy@example.net>: mailbox busy, try later");
        String messageId = Messages.newMessageId();
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send("app@example.com", "busy@example.net",
                Messages.simple(messageId, "app@example.com", "busy@example.net", "Invoice", "body\r\n"));
        }

        SmtpSink.Received warning = awaitMessageTo("app@example.com");
        assertThat(warning.mailFrom()).isEmpty();
        assertThat(warning.header("Subject")).isEqualTo("Delayed Mail (still being retried)");
        MimeMultipart parts = (MimeMultipart) parse(warning).getContent();
        assertThat(text(parts.getBodyPart(1)))
            .contains("Final-Recipient: rfc822; busy@example.net")
            .contains("Action: delayed")
            .contains("Status: 4.2.0");
        assertThat(relayed.sink().received()).noneMatch(r -> r.rcptTo().contains(ADMIN));

        relayed.sink().acceptAllRecipients();
        SmtpSink.Received delivered = awaitMessageTo("busy@example.net");
        assertThat(delivered.header("Message-ID")).isEqualTo(messageId);
        assertThat(relayed.sink().received().stream().filter(r -> r.rcptTo().contains("app@example.com")).count())
            .as("one warning only").isEqualTo(1);
    }

    @Test
    void failedNullSenderMailShouldBeReportedToTheAdminOnly() throws Exception {
        relayed.sink().rejectRecipient("nobody@example.net", "550 5.1.1 No such user");
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send("", "nobody@example.net",
                Messages.simple(Messages.newMessageId(), "MAILER-DAEMON@example.com", "nobody@example.net", "Report", "body\r\n"));
        }

        SmtpSink.Received report = awaitMessageTo(ADMIN);
        assertThat(report.mailFrom()).isEmpty();
        assertThat(report.header("Subject")).isEqualTo("Undelivered Mail Returned to Sender");
        assertThat(report.text()).contains("Final-Recipient: rfc822; nobody@example.net").contains("Status: 5.1.1");
        Thread.sleep(2000);
        assertThat(relayed.sink().received()).hasSize(1);
    }

    @Test
    void reportThatCannotBeDeliveredShouldNotBeReportedAgain() throws Exception {
        relayed.sink().rejectRecipient("nobody@example.net", "550 5.1.1 No such user");
        relayed.sink().rejectRecipient(ADMIN, "550 5.1.1 No such user");
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send("", "nobody@example.net",
                Messages.simple(Messages.newMessageId(), "MAILER-DAEMON@example.com", "nobody@example.net", "Report", "body\r\n"));
        }

        WebAdmin webAdmin = relayed.webAdmin();
        // The null-sender mail, then the report about it that the admin address refused: both kept, no third.
        await().atMost(Duration.ofSeconds(30)).until(() -> webAdmin.get(BOUNCED).body().contains("\"size\":2"));
        Thread.sleep(3000);
        assertThat(webAdmin.get(BOUNCED).body()).contains("\"size\":2");
        assertThat(relayed.sink().received()).isEmpty();
    }

    private SmtpSink.Received awaitMessageTo(String recipient) {
        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().stream().anyMatch(r -> r.rcptTo().contains(recipient)));
        return relayed.sink().received().stream().filter(r -> r.rcptTo().contains(recipient)).findFirst().orElseThrow();
    }

    private static MimeMessage parse(SmtpSink.Received received) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(received.data()));
    }

    private static String text(BodyPart part) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        part.getDataHandler().writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }
}
