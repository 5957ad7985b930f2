package io.sendonly.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.dkim.IndependentVerifiers;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.WebAdmin;

/** DKIM keys and signing table through webadmin, on the running server with the shipped (empty) tables. */
class DkimRoutesIntegrationTest {
    private static final Pattern TXT = Pattern.compile("\"txt\":\"([^\"]+)\"");

    @RegisterExtension
    final RelayedServer relayed = new RelayedServer();

    @Test
    void keyGeneratedThroughTheApiShouldSignTheNextMessage() throws Exception {
        WebAdmin webAdmin = relayed.webAdmin();
        send("Before");
        await().atMost(Duration.ofSeconds(30)).until(() -> relayed.sink().received().size() == 1);
        assertThat(relayed.sink().received().get(0).header("DKIM-Signature")).isNull();

        HttpResponse<String> generated = webAdmin.post("/sendonly/dkim/keys", "{\"domain\":\"example.com\",\"selector\":\"s2026\",\"bits\":2048}");
        assertThat(generated.statusCode()).as(generated.body()).isEqualTo(201);
        assertThat(generated.body()).contains("\"name\":\"s2026._domainkey.example.com\"").doesNotContain("PRIVATE");
        Matcher txt = TXT.matcher(generated.body());
        assertThat(txt.find()).isTrue();
        assertThat(txt.group(1)).startsWith("v=DKIM1; h=sha256; k=rsa; p=");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(relayed.server().conf("dkim/keys/example.com/s2026.private"))))
            .isEqualTo("rw-------");
        assertThat(webAdmin.post("/sendonly/dkim/signingTable", "{\"pattern\":\"*@example.com\",\"key\":\"s2026._domainkey.example.com\"}")
            .statusCode()).isEqualTo(201);

        assertThat(webAdmin.get("/sendonly/dkim/keys").body())
            .isEqualTo("[{\"name\":\"s2026._domainkey.example.com\",\"domain\":\"example.com\",\"selector\":\"s2026\","
                + "\"algorithm\":\"RSA_SHA256\",\"bits\":2048,\"inUse\":true}]");
        assertThat(webAdmin.get("/sendonly/dkim/signingTable").body())
            .isEqualTo("[{\"pattern\":\"*@example.com\",\"key\":\"s2026._domainkey.example.com\"}]");

        send("After");
        await().atMost(Duration.ofSeconds(30)).until(() -> relayed.sink().received().size() == 2);
        SmtpSink.Received signed = relayed.sink().received().get(1);
        assertThat(signed.header("DKIM-Signature")).contains("d=example.com").contains("s=s2026");
        for (IndependentVerifiers.Result result : IndependentVerifiers.verify(signed.data(), "example.com",
            Map.of("s2026._domainkey.example.com", txt.group(1)))) {
            assertThat(result.passed()).as(result.verifier() + "\n" + result.output()).isTrue();
        }
    }

    @Test
    void badRequestsShouldBeRefusedNamingTheField() throws Exception {
        WebAdmin webAdmin = relayed.webAdmin();

        assertThat(webAdmin.post("/sendonly/dkim/keys", "{\"domain\":\"example.com\",\"selector\":\"s1\",\"bits\":512}").body())
            .contains("\"statusCode\":400").contains("bits: 512");
        assertThat(webAdmin.post("/sendonly/dkim/keys", "{\"domain\":\"not a domain\",\"selector\":\"s1\"}").body()).contains("domain:");
        assertThat(webAdmin.post("/sendonly/dkim/keys", "{\"domain\":\"example.com\",\"selector\":\"s/1\"}").body()).contains("selector:");
        assertThat(webAdmin.post("/sendonly/dkim/keys", "{\"domain\":\"example.com\",\"selector\":\"s1\",\"algorithm\":\"dsa\"}").body())
            .contains("algorithm:");
        HttpResponse<String> unknownKey = webAdmin.post("/sendonly/dkim/signingTable", "{\"pattern\":\"*@example.com\",\"key\":\"nope\"}");
        assertThat(unknownKey.statusCode()).isEqualTo(400);
        assertThat(unknownKey.body()).contains("key: 'nope' is not in the KeyTable");

        assertThat(webAdmin.post("/sendonly/dkim/keys", "{\"domain\":\"example.com\",\"selector\":\"s1\",\"algorithm\":\"ed25519\"}")
            .statusCode()).isEqualTo(201);
        assertThat(webAdmin.post("/sendonly/dkim/keys", "{\"domain\":\"example.com\",\"selector\":\"s1\"}").statusCode()).isEqualTo(409);
    }

    private void send(String subject) throws Exception {
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send("app@example.com", "user@example.net",
                Messages.simple(Messages.newMessageId(), "App <app@example.com>", "user@example.net", subject, "body\r\n"));
        }
    }
}
