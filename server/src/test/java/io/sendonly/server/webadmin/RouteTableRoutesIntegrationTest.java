package io.sendonly.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.server.testing.ConfFile;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.TestServer;

/** {@code GET /sendonly/routes} on the running server: the route table in precedence order, never a password. */
class RouteTableRoutesIntegrationTest {
    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(server -> caFile(server).routes("""
        default smtp1.relay.example smtp --port=587 --starttls --user=apikey --pass=SG.secret --x509cafile=relay.pem
        default smtp2.relay.example smtp --port=465 --ssl --auth-login --user=backup --pass=hunter2
        sender billing.example.com [smtp.mailgun.org]:587
        recipient example.net direct
        """));

    /** Delivery checks at start that a CA file is readable; its content matters only on connection. */
    private static TestServer caFile(TestServer server) {
        ConfFile.write(server.conf("relay.pem"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");
        return server;
    }

    @Test
    void shouldListRoutesInPrecedenceOrderWithoutPasswords() throws Exception {
        HttpResponse<String> response = relayed.webAdmin().get("/sendonly/routes");

        assertThat(response.statusCode()).isEqualTo(200);
        String body = response.body();
        assertThat(body).doesNotContain("SG.secret").doesNotContain("hunter2").doesNotContain("pass");
        assertThat(body.indexOf("\"match\":\"recipient\"")).isLessThan(body.indexOf("\"match\":\"sender\""));
        assertThat(body.indexOf("\"match\":\"sender\"")).isLessThan(body.indexOf("\"match\":\"default\""));
        assertThat(body)
            .contains("{\"match\":\"recipient\",\"domain\":\"example.net\",\"direct\":true,\"smartHosts\":[]}")
            .contains("{\"host\":\"smtp.mailgun.org\",\"port\":587,\"mxLookup\":false,\"tls\":\"OPPORTUNISTIC\","
                + "\"verifyCertificate\":false,\"caFile\":null,\"user\":null,\"authMethod\":null,\"level\":\"may\"}")
            .contains("{\"host\":\"smtp1.relay.example\",\"port\":587,\"mxLookup\":false,\"tls\":\"REQUIRED_STARTTLS\","
                + "\"verifyCertificate\":true,\"caFile\":\"relay.pem\",\"user\":\"apikey\",\"authMethod\":\"PLAIN\",\"level\":\"verify\"}")
            .contains("{\"host\":\"smtp2.relay.example\",\"port\":465,\"mxLookup\":false,\"tls\":\"IMPLICIT\","
                + "\"verifyCertificate\":true,\"caFile\":null,\"user\":\"backup\",\"authMethod\":\"LOGIN\",\"level\":\"verify\"}");
        assertThat(body.indexOf("smtp1.relay.example")).as("failover order").isLessThan(body.indexOf("smtp2.relay.example"));
    }

    @Test
    void aHopWithALineBreakShouldBeRefusedAndNeverBecomeALine() throws Exception {
        String routes = Files.readString(relayed.server().conf("routes"));

        // The first was accepted, and its second line stopped the next start.
        for (String hop : List.of("smtp.a.example smtp --user=u --pass=p\\r--port=25", "[a.example]:25\\rdefault direct",
            "[a.example]:25\\ndefault direct", "[a.example]:25\\u0000")) {
            HttpResponse<String> added = relayed.webAdmin().post("/sendonly/routes", "{\"match\":\"recipient\",\"domain\":\"a.example\",\"hop\":\"" + hop + "\"}");
            assertThat(added.statusCode()).as(hop).isEqualTo(400);
            assertThat(added.body()).contains("hop: ");
        }
        assertThat(Files.readString(relayed.server().conf("routes"))).isEqualTo(routes);
        relayed.server().restart();
    }

    @Test
    void aHopWhoseCaFileDeliveryCannotReadShouldBeRefused() throws Exception {
        String routes = Files.readString(relayed.server().conf("routes"));

        HttpResponse<String> added = relayed.webAdmin().post("/sendonly/routes",
            "{\"match\":\"default\",\"hop\":\"smtp3.relay.example smtp --starttls --x509cafile=missing.pem\"}");

        assertThat(added.statusCode()).as(added.body()).isEqualTo(400);
        assertThat(added.body()).contains("hop: ").contains("missing.pem is not readable");
        assertThat(Files.readString(relayed.server().conf("routes"))).isEqualTo(routes);
        relayed.server().restart();
    }

    @Test
    void unreadableTableShouldAnswer500WithTheLine() throws Exception {
        ConfFile.write(relayed.server().conf("routes"), "default [127.0.0.1]:25\nbogus line --pass=secret\n");

        HttpResponse<String> response = relayed.webAdmin().get("/sendonly/routes");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("conf/routes:2").contains("bogus").doesNotContain("secret");
    }
}
