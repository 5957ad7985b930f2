package io.sendonly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;

/** What PHP's mail() and cron send: bare www-data and root, qualified and aliased as nullmailer does. */
class QualifyIntegrationTest {
    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(server -> server
        .editXml("domainlist.xml", xml -> xml.set("/domainlist/defaultDomain", "example.com"))
        .mailetContainerXml(xml -> xml.set("/mailetcontainer/context/postmaster", "ops@example.org")));

    @Test
    void bareSenderShouldLeaveQualifiedWithTheDefaultDomain() throws Exception {
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            assertThat(client.mailFrom("www-data")).isEqualTo(250);
            assertThat(client.rcptTo("user@example.net")).isEqualTo(250);
            assertThat(client.data(Messages.simple(Messages.newMessageId(), "www-data", "user@example.net", "Welcome", "body\r\n")))
                .isEqualTo(250);
        }

        SmtpSink.Received received = awaitOne();
        assertThat(received.mailFrom()).isEqualTo("www-data@example.com");
        assertThat(received.header("From")).isEqualTo("www-data@example.com");
    }

    @Test
    void mailToRootShouldReachTheAdminAddress() throws Exception {
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send("cron@example.com", "root", Messages.simple(Messages.newMessageId(), "cron@example.com", "root",
                "Cron <root@host> backup", "done\r\n"));
        }

        assertThat(awaitOne().rcptTo()).containsExactly("ops@example.org");
    }

    private SmtpSink.Received awaitOne() {
        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().size() == 1);
        return relayed.sink().received().get(0);
    }
}
