package io.sendonly.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.WebAdmin;

/** Default domain and admin address through webadmin: applied to the next message, kept in James's own files. */
class SettingsRoutesIntegrationTest {
    private static final String PATH = "/sendonly/settings";

    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(server -> server
        .editXml("domainlist.xml", xml -> xml.set("/domainlist/defaultDomain", "old.example"))
        .mailetContainerXml(xml -> xml.set("/mailetcontainer/context/postmaster", "ops@old.example")));

    @Test
    void changedSettingsShouldQualifyAndAliasTheNextMessageAndSurviveARestart() throws Exception {
        WebAdmin webAdmin = relayed.webAdmin();
        assertThat(webAdmin.get(PATH).body()).isEqualTo("{\"defaultDomain\":\"old.example\",\"adminAddress\":\"ops@old.example\"}");

        HttpResponse<String> changed = webAdmin.put(PATH, "{\"defaultDomain\":\"Example.com\",\"adminAddress\":\"alerts@example.org\"}");

        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(changed.body()).isEqualTo("{\"defaultDomain\":\"example.com\",\"adminAddress\":\"alerts@example.org\"}");
        assertThat(Files.readString(relayed.server().conf("domainlist.xml")))
            .contains("<defaultDomain>example.com</defaultDomain>").contains("<!-- A send-only server has no local domains.");
        assertThat(Files.readString(relayed.server().conf("mailetcontainer.xml")))
            .contains("<postmaster>alerts@example.org</postmaster>").contains("<!-- The send-only pipeline:");
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send("www-data", "root", Messages.simple(Messages.newMessageId(), "www-data", "root", "Cron", "done\r\n"));
        }
        SmtpSink.Received received = awaitReceived(1);
        assertThat(received.mailFrom()).isEqualTo("www-data@example.com");
        assertThat(received.header("From")).isEqualTo("www-data@example.com");
        assertThat(received.rcptTo()).containsExactly("alerts@example.org");

        assertThat(webAdmin.put(PATH, "{\"adminAddress\":\"ops@example.org\"}").body())
            .isEqualTo("{\"defaultDomain\":\"example.com\",\"adminAddress\":\"ops@example.org\"}");
        relayed.server().restart();
        assertThat(relayed.webAdmin().get(PATH).body()).isEqualTo("{\"defaultDomain\":\"example.com\",\"adminAddress\":\"ops@example.org\"}");
    }

    @Test
    void badSettingsShouldBeRefusedNamingTheFieldAndChangeNothing() throws Exception {
        WebAdmin webAdmin = relayed.webAdmin();
        String domainList = Files.readString(relayed.server().conf("domainlist.xml"));
        String mailetContainer = Files.readString(relayed.server().conf("mailetcontainer.xml"));

        HttpResponse<String> badDomain = webAdmin.put(PATH, "{\"defaultDomain\":\"not a domain\"}");
        assertThat(badDomain.statusCode()).isEqualTo(400);
        assertThat(badDomain.body()).contains("defaultDomain: 'not a domain'");
        assertThat(webAdmin.put(PATH, "{\"adminAddress\":\"ops\"}").body()).contains("\"statusCode\":400").contains("adminAddress: 'ops'");
        assertThat(webAdmin.put(PATH, "{\"adminAddress\":\"root@old.example\"}").body())
            .contains("\"statusCode\":400").contains("adminAddress: 'root@old.example' is a system account");
        assertThat(webAdmin.put(PATH, "{\"defaultDomain\":\"example.com\",\"adminAddress\":\"postmaster@example.com\"}").body())
            .contains("\"statusCode\":400").contains("adminAddress: ");
        assertThat(webAdmin.put(PATH, "{}").body()).contains("\"statusCode\":400").contains("defaultDomain: ");
        assertThat(webAdmin.put(PATH, "[1]").body()).contains("\"statusCode\":400");

        assertThat(Files.readString(relayed.server().conf("domainlist.xml"))).isEqualTo(domainList);
        assertThat(Files.readString(relayed.server().conf("mailetcontainer.xml"))).isEqualTo(mailetContainer);
        assertThat(webAdmin.get(PATH).body()).isEqualTo("{\"defaultDomain\":\"old.example\",\"adminAddress\":\"ops@old.example\"}");
    }

    private SmtpSink.Received awaitReceived(int count) {
        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().size() == count);
        return relayed.sink().received().get(count - 1);
    }
}
