package io.sendonly.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.WebAdmin;

/** Routes added and removed through webadmin take the next message, without restart; passwords stay write-only. */
class RouteChangesIntegrationTest {
    @RegisterExtension
    final RelayedServer relayed = new RelayedServer();

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void addedRouteShouldTakeTheNextMessageAndRemovedShouldNot() throws Exception {
        SmtpSink partner = closer.register(SmtpSink.startWithStartTls());
        partner.requireAuth("app", "Secr3t");
        WebAdmin webAdmin = relayed.webAdmin();

        HttpResponse<String> added = webAdmin.post("/sendonly/routes",
            "{\"match\":\"recipient\",\"domain\":\"example.org\",\"hop\":\"127.0.0.1 smtp --port=" + partner.port()
                + " --user=app --pass=Secr3t --insecure\"}");

        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
        assertThat(Files.readString(relayed.server().conf("routes"))).contains("recipient example.org 127.0.0.1 smtp --port=");
        assertThat(webAdmin.get("/sendonly/routes").body()).contains("\"domain\":\"example.org\"").contains("\"user\":\"app\"")
            .doesNotContain("Secr3t");
        send("user@example.org", "routed");
        await().atMost(Duration.ofSeconds(30)).until(() -> partner.received().size() == 1);
        assertThat(partner.received().get(0).authenticatedAs()).isEqualTo("app");

        assertThat(webAdmin.delete("/sendonly/routes?match=recipient&domain=example.org").statusCode()).isEqualTo(204);
        send("user@example.org", "default again");
        await().atMost(Duration.ofSeconds(30)).until(() -> relayed.sink().received().size() == 1);
        assertThat(partner.received()).hasSize(1);
    }

    @Test
    void replacedRouteShouldTakeItsHopsInTheirNewOrderAndKeepItsPlace() throws Exception {
        SmtpSink partner = closer.register(SmtpSink.startWithStartTls());
        partner.requireAuth("app", "Secr3t");
        int down = io.sendonly.server.testing.Distribution.freePort();
        WebAdmin webAdmin = relayed.webAdmin();
        assertThat(webAdmin.post("/sendonly/routes", "{\"match\":\"sender\",\"domain\":\"example.com\",\"hop\":\"[127.0.0.1]:"
            + relayed.sink().port() + "\"}").statusCode()).isEqualTo(201);

        HttpResponse<String> created = webAdmin.put("/sendonly/routes", "{\"match\":\"recipient\",\"domain\":\"example.org\",\"hops\":["
            + "\"[127.0.0.1]:" + down + "\",\"127.0.0.1 smtp --port=" + partner.port() + " --user=app --pass=Secr3t --insecure\"]}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(webAdmin.get("/sendonly/routes").body()).doesNotContain("Secr3t");
        send("user@example.org", "second hop");
        await().atMost(Duration.ofSeconds(30)).until(() -> partner.received().size() == 1);

        List<String> before = Files.readAllLines(relayed.server().conf("routes"));
        int position = before.indexOf("recipient example.org [127.0.0.1]:" + down);
        HttpResponse<String> replaced = webAdmin.put("/sendonly/routes", "{\"match\":\"recipient\",\"domain\":\"example.org\",\"hops\":["
            + "\"127.0.0.1 smtp --port=" + partner.port() + " --user=app --pass=Secr3t --insecure\"]}");

        assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(204);
        List<String> after = Files.readAllLines(relayed.server().conf("routes"));
        assertThat(after).hasSize(before.size() - 1);
        assertThat(after.get(position)).isEqualTo("recipient example.org 127.0.0.1 smtp --port=" + partner.port() + " --user=app --pass=Secr3t --insecure");
        send("user@example.org", "first hop");
        await().atMost(Duration.ofSeconds(30)).until(() -> partner.received().size() == 2);
        assertThat(relayed.sink().received()).isEmpty();

        relayed.server().restart();
        assertThat(relayed.webAdmin().get("/sendonly/routes").body())
            .contains("{\"match\":\"recipient\",\"domain\":\"example.org\",\"direct\":false,\"smartHosts\":[{\"host\":\"127.0.0.1\",\"port\":"
                + partner.port() + ",");
    }

    @Test
    void badRoutesShouldBeRefusedNamingTheFieldWithoutThePassword() throws Exception {
        WebAdmin webAdmin = relayed.webAdmin();
        String before = Files.readString(relayed.server().conf("routes"));

        HttpResponse<String> badHop = webAdmin.post("/sendonly/routes",
            "{\"match\":\"default\",\"hop\":\"smtp.example.com smtp --startls --user=u --pass=Secr3t\"}");
        assertThat(badHop.statusCode()).isEqualTo(400);
        assertThat(badHop.body()).contains("hop: ").contains("--startls").doesNotContain("Secr3t");
        assertThat(webAdmin.post("/sendonly/routes", "{\"match\":\"recipient\",\"domain\":\"not a domain\",\"hop\":\"direct\"}").body())
            .contains("domain: ");
        assertThat(webAdmin.post("/sendonly/routes", "{\"match\":\"everyone\",\"hop\":\"direct\"}").body()).contains("match: ");
        assertThat(webAdmin.delete("/sendonly/routes?match=sender&domain=example.net").statusCode()).isEqualTo(404);
        assertThat(webAdmin.put("/sendonly/routes", "{\"match\":\"default\",\"hops\":[]}").body()).contains("\"statusCode\":400").contains("hops: ");
        HttpResponse<String> badReplacement = webAdmin.put("/sendonly/routes",
            "{\"match\":\"default\",\"hops\":[\"direct\",\"smtp.example.com smtp --ssl --starttls --user=u --pass=Secr3t\"]}");
        assertThat(badReplacement.statusCode()).isEqualTo(400);
        assertThat(badReplacement.body()).contains("hop: ").doesNotContain("Secr3t");
        assertThat(Files.readString(relayed.server().conf("routes"))).isEqualTo(before);
    }

    private void send(String recipient, String subject) throws Exception {
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send("app@example.com", recipient, Messages.simple(Messages.newMessageId(), "app@example.com", recipient, subject, "body\r\n"));
        }
    }
}
