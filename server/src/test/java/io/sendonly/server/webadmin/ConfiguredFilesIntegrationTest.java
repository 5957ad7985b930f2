package io.sendonly.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.TestServer;
import io.sendonly.server.testing.WebAdmin;

/** Webadmin edits the table files the configuration names, not the default paths. */
class ConfiguredFilesIntegrationTest {
    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(ConfiguredFilesIntegrationTest::elsewhere);

    private static TestServer elsewhere(TestServer server) {
        try {
            Files.createDirectories(server.conf("custom"));
            Files.copy(server.conf("routes"), server.conf("custom/routes"));
            Files.copy(server.conf("TrustedHosts"), server.conf("custom/TrustedHosts"));
            Files.copy(server.conf("dkim/KeyTable"), server.conf("custom/KeyTable"));
            Files.copy(server.conf("dkim/SigningTable"), server.conf("custom/SigningTable"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return server
            .mailetContainerXml(xml -> xml
                .set("//mailet[@class='io.sendonly.deliver.RouteDelivery']/routes", "file://conf/custom/routes")
                .set("//mailet[@class='io.sendonly.sign.SignDkim']/keyTable", "file://conf/custom/KeyTable")
                .set("//mailet[@class='io.sendonly.sign.SignDkim']/signingTable", "refile:file://conf/custom/SigningTable"))
            .smtpServerXml(xml -> xml.set("//handler[@class='io.sendonly.accept.RelayOnlyForTrustedClients']/trustedHosts",
                "file://conf/custom/TrustedHosts"));
    }

    @Test
    void changesShouldGoToTheConfiguredFiles() throws Exception {
        WebAdmin webAdmin = relayed.webAdmin();
        String defaultRoutes = Files.readString(relayed.server().conf("routes"));

        assertThat(webAdmin.post("/sendonly/routes", "{\"match\":\"recipient\",\"domain\":\"example.org\",\"hop\":\"direct\"}").statusCode()).isEqualTo(201);
        assertThat(webAdmin.post("/sendonly/trustedNetworks", "{\"network\":\"10.1.0.0/16\"}").statusCode()).isEqualTo(201);
        assertThat(webAdmin.post("/sendonly/dkim/keys", "{\"domain\":\"example.com\",\"selector\":\"s1\",\"algorithm\":\"ed25519\"}").statusCode()).isEqualTo(201);
        assertThat(webAdmin.post("/sendonly/dkim/signingTable", "{\"pattern\":\"*@example.com\",\"key\":\"s1._domainkey.example.com\"}").statusCode()).isEqualTo(201);

        assertThat(Files.readString(relayed.server().conf("custom/routes"))).endsWith("recipient example.org direct\n");
        assertThat(Files.readString(relayed.server().conf("routes"))).isEqualTo(defaultRoutes);
        assertThat(Files.readString(relayed.server().conf("custom/TrustedHosts"))).endsWith("10.1.0.0/16\n");
        assertThat(Files.readString(relayed.server().conf("custom/KeyTable"))).endsWith("s1._domainkey.example.com example.com:s1:keys/example.com/s1.private\n");
        assertThat(relayed.server().conf("custom/keys/example.com/s1.private")).exists();
        assertThat(Files.readString(relayed.server().conf("custom/SigningTable"))).endsWith("*@example.com s1._domainkey.example.com\n");
        assertThat(Files.readString(relayed.server().conf("dkim/SigningTable"))).doesNotContain("s1._domainkey");

        relayed.server().restart();
        assertThat(relayed.webAdmin().get("/sendonly/dkim/signingTable").body()).isEqualTo("[{\"pattern\":\"*@example.com\",\"key\":\"s1._domainkey.example.com\"}]");
    }
}
