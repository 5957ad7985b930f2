package io.sendonly.server.suppress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.WebAdmin;

/**
 * The suppression list on the running server: a hard bounce lists the recipient; the next mail to it never reaches
 * the next hop and is reported to the sender; removing the entry through webadmin lets mail through again.
 */
class SuppressionIntegrationTest {
    private static final String SENDER = "app@example.com";
    private static final String GONE = "nobody@example.net";
    private static final String PATH = "/sendonly/suppressions";

    @RegisterExtension
    final RelayedServer relayed = new RelayedServer();

    @Test
    void aHardBouncedAddressShouldNotBeTriedAgainUntilRemoved() throws Exception {
        SmtpSink sink = relayed.sink();
        WebAdmin webAdmin = relayed.webAdmin();
        sink.rejectRecipient(GONE, "550 5.1.1 <nobody@example.net>: Recipient address rejected");

        send("First");
        await().atMost(Duration.ofSeconds(30)).until(() -> reportsToSender().size() == 1);
        HttpResponse<String> listed = webAdmin.get(PATH + "/" + GONE);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("\"address\":\"" + GONE + "\"", "\"status\":\"5.1.1\"",
            "\"reply\":\"550 5.1.1 <nobody@example.net>: Recipient address rejected\"");
        assertThat(sink.rejected()).isEqualTo(1);

        send("Second");
        await().atMost(Duration.ofSeconds(30)).until(() -> reportsToSender().size() == 2);
        assertThat(sink.rejected()).as("the second message never reached the next hop").isEqualTo(1);
        assertThat(sink.received()).noneMatch(received -> received.rcptTo().contains(GONE));
        assertThat(reportsToSender().get(1).text())
            .contains("Final-Recipient: rfc822; " + GONE)
            .contains("Action: failed")
            .contains("Status: 5.7.1")
            .contains("x-sendonly; recipient suppressed since ")
            .contains("after '550 5.1.1 <nobody@example.net>: Recipient address rejected'");

        sink.acceptAllRecipients();
        assertThat(webAdmin.delete(PATH + "/" + GONE).statusCode()).isEqualTo(204);
        send("Third");
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().stream().anyMatch(received -> received.rcptTo().contains(GONE)));
        assertThat(reportsToSender()).hasSize(2);
    }

    @Test
    void anEntryShouldOutliveARestartInAFileOnlyTheServiceUserReads() throws Exception {
        assertThat(relayed.webAdmin().post(PATH, "{\"address\":\"" + GONE + "\",\"senderDomain\":\"example.com\"}").statusCode())
            .isEqualTo(201);

        relayed.server().restart();

        assertThat(relayed.webAdmin().get(PATH + "/" + GONE).body()).contains("\"senderDomain\":\"example.com\"", "\"status\":\"manual\"");
        Path list = relayed.server().workingDirectory().resolve("var/suppressions/list");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(list))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(list.getParent()))).isEqualTo("rwx------");
        send("Suppressed for mail from example.com");
        await().atMost(Duration.ofSeconds(30)).until(() -> reportsToSender().size() == 1);
        assertThat(relayed.sink().received()).noneMatch(received -> received.rcptTo().contains(GONE));
    }

    @Test
    void theSuppressionsShouldNeedTheOperatorToken() throws Exception {
        WebAdmin anonymous = WebAdmin.anonymous(relayed.server().webAdminPort());

        assertThat(anonymous.get(PATH).statusCode()).isEqualTo(401);
        assertThat(anonymous.delete(PATH + "/" + GONE).statusCode()).isEqualTo(401);
        assertThat(anonymous.post(PATH, "{\"address\":\"" + GONE + "\"}").statusCode()).isEqualTo(401);
        assertThat(relayed.webAdmin().get(PATH).body()).isEqualTo("[]");
    }

    @Test
    void aBadEntryShouldBeRefusedNamingTheField() throws Exception {
        HttpResponse<String> refused = relayed.webAdmin().post(PATH, "{\"address\":\"" + GONE + "\",\"expires\":\"tomorrow\"}");

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("<expires> 'tomorrow'");
    }

    private void send(String subject) throws Exception {
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send(SENDER, GONE, Messages.simple(Messages.newMessageId(), SENDER, GONE, subject, "body\r\n"));
        }
    }

    private List<SmtpSink.Received> reportsToSender() {
        return relayed.sink().received().stream().filter(received -> received.rcptTo().contains(SENDER)).toList();
    }
}
