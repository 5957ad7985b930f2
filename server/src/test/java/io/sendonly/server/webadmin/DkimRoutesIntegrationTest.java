package io.sendonly.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.dkim.IndependentVerifiers;
import io.sendonly.dkim.TestKeys;
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
            .matches("\\[\\{\"name\":\"s2026._domainkey.example.com\",\"domain\":\"example.com\",\"selector\":\"s2026\","
                + "\"algorithm\":\"RSA_SHA256\",\"bits\":2048,\"created\":\"20[0-9-]{8}T[0-9:.]+Z\",\"inUse\":true,\"dns\":null}]");
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

    @Test
    void importedKeyShouldSignAndTheSigningTableShouldBeReorderedAndTrimmed() throws Exception {
        WebAdmin webAdmin = relayed.webAdmin();
        KeyPair imported = TestKeys.rsa(2048);
        String pem = TestKeys.pem(imported.getPrivate());

        HttpResponse<String> created = webAdmin.post("/sendonly/dkim/keys",
            "{\"domain\":\"example.com\",\"selector\":\"legacy\",\"privateKey\":\"" + pem.replace("\n", "\\n") + "\"}");

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("PRIVATE").contains("\"txt\":\"v=DKIM1; h=sha256; k=rsa; p="
            + Base64.getEncoder().encodeToString(imported.getPublic().getEncoded()) + "\"");
        assertThat(Files.readString(relayed.server().conf("dkim/keys/example.com/legacy.private"))).isEqualTo(pem);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(relayed.server().conf("dkim/keys/example.com/legacy.private"))))
            .isEqualTo("rw-------");
        assertThat(webAdmin.post("/sendonly/dkim/keys", "{\"domain\":\"example.com\",\"selector\":\"ops\"}").statusCode()).isEqualTo(201);
        assertThat(webAdmin.post("/sendonly/dkim/signingTable", "{\"pattern\":\"*@example.com\",\"key\":\"legacy._domainkey.example.com\"}")
            .statusCode()).isEqualTo(201);
        assertThat(webAdmin.post("/sendonly/dkim/signingTable",
            "{\"pattern\":\"app@example.com\",\"key\":\"ops._domainkey.example.com\",\"position\":0}").statusCode()).isEqualTo(201);
        assertThat(webAdmin.get("/sendonly/dkim/signingTable").body()).isEqualTo("[{\"pattern\":\"app@example.com\",\"key\":\"ops._domainkey.example.com\"},"
            + "{\"pattern\":\"*@example.com\",\"key\":\"legacy._domainkey.example.com\"}]");
        send("First entry wins");
        await().atMost(Duration.ofSeconds(30)).until(() -> relayed.sink().received().size() == 1);
        assertThat(relayed.sink().received().get(0).header("DKIM-Signature")).contains("s=ops;");

        HttpResponse<String> reordered = webAdmin.put("/sendonly/dkim/signingTable", "[{\"pattern\":\"*@example.com\",\"key\":\"legacy._domainkey.example.com\"},"
            + "{\"pattern\":\"app@example.com\",\"key\":\"ops._domainkey.example.com\"}]");
        assertThat(reordered.statusCode()).as(reordered.body()).isEqualTo(200);
        assertThat(Files.readString(relayed.server().conf("dkim/SigningTable")))
            .endsWith("*@example.com legacy._domainkey.example.com\napp@example.com ops._domainkey.example.com\n");
        send("Reordered");
        await().atMost(Duration.ofSeconds(30)).until(() -> relayed.sink().received().size() == 2);
        SmtpSink.Received signed = relayed.sink().received().get(1);
        assertThat(signed.header("DKIM-Signature")).contains("s=legacy;");
        for (IndependentVerifiers.Result result : IndependentVerifiers.verify(signed.data(), "example.com",
            Map.of("legacy._domainkey.example.com", "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(imported.getPublic().getEncoded())))) {
            assertThat(result.passed()).as(result.verifier() + "\n" + result.output()).isTrue();
        }

        assertThat(webAdmin.delete("/sendonly/dkim/signingTable?pattern=*@example.com").statusCode()).isEqualTo(204);
        assertThat(webAdmin.get("/sendonly/dkim/signingTable").body())
            .isEqualTo("[{\"pattern\":\"app@example.com\",\"key\":\"ops._domainkey.example.com\"}]");
        assertThat(webAdmin.delete("/sendonly/dkim/signingTable?pattern=*@example.com").statusCode()).isEqualTo(404);
        assertThat(webAdmin.delete("/sendonly/dkim/keys/legacy._domainkey.example.com").statusCode()).as("no longer in use").isEqualTo(204);

        relayed.server().restart();
        assertThat(relayed.webAdmin().get("/sendonly/dkim/signingTable").body())
            .isEqualTo("[{\"pattern\":\"app@example.com\",\"key\":\"ops._domainkey.example.com\"}]");
        assertThat(relayed.webAdmin().get("/sendonly/dkim/keys").body()).contains("\"name\":\"ops._domainkey.example.com\"").doesNotContain("legacy");
    }

    @Test
    void importsAndTableChangesShouldBeCheckedNamingTheField() throws Exception {
        WebAdmin webAdmin = relayed.webAdmin();
        KeyPair ed25519 = TestKeys.ed25519();
        String pem = TestKeys.pem(ed25519.getPrivate()).replace("\n", "\\n");
        String rawPublic = Base64.getEncoder().encodeToString(Arrays.copyOfRange(ed25519.getPublic().getEncoded(), 12, 44));
        String otherPublic = Base64.getEncoder().encodeToString(Arrays.copyOfRange(TestKeys.ed25519().getPublic().getEncoded(), 12, 44));

        assertThat(webAdmin.post("/sendonly/dkim/keys", "{\"domain\":\"example.com\",\"selector\":\"e1\",\"privateKey\":\"not a key\"}").body())
            .contains("\"statusCode\":400").contains("privateKey: not a PEM private key");
        assertThat(webAdmin.post("/sendonly/dkim/keys", "{\"domain\":\"example.com\",\"selector\":\"e1\",\"privateKey\":\"" + pem + "\"}").body())
            .contains("\"statusCode\":400").contains("publicKey: ");
        assertThat(webAdmin.post("/sendonly/dkim/keys", "{\"domain\":\"example.com\",\"selector\":\"e1\",\"privateKey\":\"" + pem
            + "\",\"publicKey\":\"" + otherPublic + "\"}").body()).contains("\"statusCode\":400").contains("publicKey: ");
        assertThat(Files.exists(relayed.server().conf("dkim/keys/example.com/e1.private"))).isFalse();
        HttpResponse<String> created = webAdmin.post("/sendonly/dkim/keys", "{\"domain\":\"example.com\",\"selector\":\"e1\",\"privateKey\":\""
            + pem + "\",\"publicKey\":\"" + rawPublic + "\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"txt\":\"v=DKIM1; k=ed25519; p=" + rawPublic + "\"");
        assertThat(webAdmin.get("/sendonly/dkim/keys").body()).contains("\"algorithm\":\"ED25519_SHA256\"");

        String table = Files.readString(relayed.server().conf("dkim/SigningTable"));
        assertThat(webAdmin.put("/sendonly/dkim/signingTable", "[{\"pattern\":\"*@example.com\",\"key\":\"nope\"}]").body())
            .contains("\"statusCode\":400").contains("key: 'nope' is not in the KeyTable");
        assertThat(webAdmin.put("/sendonly/dkim/signingTable", "{\"pattern\":\"*@example.com\"}").body()).contains("entries: ");
        assertThat(webAdmin.post("/sendonly/dkim/signingTable", "{\"pattern\":\"*@example.com\",\"key\":\"e1._domainkey.example.com\",\"position\":5}")
            .body()).contains("position: ");
        assertThat(Files.readString(relayed.server().conf("dkim/SigningTable"))).isEqualTo(table);
    }

    @Test
    void forcedRotationWithoutPatternShouldBeRefusedAndLeaveATableTheServerStartsWith() throws Exception {
        WebAdmin webAdmin = relayed.webAdmin();
        assertThat(webAdmin.post("/sendonly/dkim/keys", "{\"domain\":\"example.com\",\"selector\":\"s1\",\"algorithm\":\"ed25519\"}")
            .statusCode()).isEqualTo(201);
        String table = Files.readString(relayed.server().conf("dkim/SigningTable"));

        HttpResponse<String> rotated = webAdmin.post("/sendonly/dkim/rotation", "{\"key\":\"s1._domainkey.example.com\",\"force\":true}");

        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(400);
        assertThat(rotated.body()).contains("pattern: ");
        assertThat(Files.readString(relayed.server().conf("dkim/SigningTable"))).isEqualTo(table);
        relayed.server().restart();
    }

    @Test
    void aKeyStartUpWouldRefuseShouldNotBeImported() throws Exception {
        String pem = TestKeys.pem(TestKeys.rsa(4160).getPrivate()).replace("\n", "\\n");

        HttpResponse<String> imported = relayed.webAdmin().post("/sendonly/dkim/keys",
            "{\"domain\":\"example.com\",\"selector\":\"big\",\"privateKey\":\"" + pem + "\"}");

        assertThat(imported.statusCode()).as(imported.body()).isEqualTo(400);
        assertThat(imported.body()).contains("privateKey: ").contains("4160 bits");
        assertThat(relayed.server().conf("dkim/keys/example.com/big.private")).doesNotExist();
        relayed.server().restart();
    }

    @Test
    void aTableBrokenByHandShouldAnswer500NamingTheLine() throws Exception {
        Files.writeString(relayed.server().conf("dkim/SigningTable"), "# broken\n*@example.com\n");

        HttpResponse<String> listed = relayed.webAdmin().get("/sendonly/dkim/signingTable");

        assertThat(listed.statusCode()).isEqualTo(500);
        assertThat(listed.body()).contains("SigningTable:2: expected 'pattern keyname'");
        assertThat(relayed.webAdmin().delete("/sendonly/dkim/signingTable?pattern=x").statusCode()).isEqualTo(500);
    }

    @Test
    void deletingOneNameOfAKeyFileAnotherNameUsesShouldKeepTheFile() throws Exception {
        WebAdmin webAdmin = relayed.webAdmin();
        assertThat(webAdmin.post("/sendonly/dkim/keys", "{\"domain\":\"example.com\",\"selector\":\"s1\",\"algorithm\":\"ed25519\"}")
            .statusCode()).isEqualTo(201);
        Files.writeString(relayed.server().conf("dkim/KeyTable"), "other example.org:s1:keys/example.com/s1.private\n",
            StandardOpenOption.APPEND);

        assertThat(webAdmin.delete("/sendonly/dkim/keys/s1._domainkey.example.com").statusCode()).isEqualTo(204);

        assertThat(relayed.server().conf("dkim/keys/example.com/s1.private")).exists();
        relayed.server().restart();
        assertThat(relayed.webAdmin().get("/sendonly/dkim/keys").body()).contains("\"name\":\"other\"");
    }

    @Test
    void concurrentWritersToTheSigningTableShouldLoseNoUpdate() throws Exception {
        WebAdmin webAdmin = relayed.webAdmin();
        assertThat(webAdmin.post("/sendonly/dkim/keys", "{\"domain\":\"example.com\",\"selector\":\"s1\",\"algorithm\":\"ed25519\"}")
            .statusCode()).isEqualTo(201);
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String pattern = "app" + i + "@example.com";
                statuses.add(writers.submit(() -> webAdmin.post("/sendonly/dkim/signingTable",
                    "{\"pattern\":\"" + pattern + "\",\"key\":\"s1._domainkey.example.com\"}").statusCode()));
            }
            for (Future<Integer> status : statuses) {
                assertThat(status.get()).isEqualTo(201);
            }
        } finally {
            writers.shutdownNow();
        }
        List<String> entries = Files.readAllLines(relayed.server().conf("dkim/SigningTable")).stream()
            .filter(line -> line.startsWith("app")).toList();
        assertThat(entries).hasSize(40).allMatch(line -> line.matches("app[0-9]+@example.com s1._domainkey.example.com"));
    }

    private void send(String subject) throws Exception {
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send("app@example.com", "user@example.net",
                Messages.simple(Messages.newMessageId(), "App <app@example.com>", "user@example.net", subject, "body\r\n"));
        }
    }
}
