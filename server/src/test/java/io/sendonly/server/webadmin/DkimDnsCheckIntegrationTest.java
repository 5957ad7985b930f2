package io.sendonly.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.dkim.DkimRecord;
import io.sendonly.dkim.TestKeys;
import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.ConfFile;
import io.sendonly.server.testing.Dnsmasq;
import io.sendonly.server.testing.Prerequisites;
import io.sendonly.server.testing.TestServer;
import io.sendonly.server.testing.WebAdmin;

/**
 * {@code GET /sendonly/dkim/keys/NAME/dns} against a real resolver path: dnsmasq on 127.0.0.155:53 publishes one key
 * right, one with another key's public key, one without {@code p=}, and nothing for the fourth.
 */
class DkimDnsCheckIntegrationTest {
    private static final String DNS_ADDRESS = "127.0.0.155";

    @TempDir
    Path directory;

    @RegisterExtension
    final Closer closer = new Closer();

    private WebAdmin webAdmin;
    private TestServer server;

    @BeforeEach
    void setUp() throws Exception {
        Prerequisites.require(Prerequisites.isRoot() && Dnsmasq.executable().isPresent(),
            "DkimDnsCheckIntegrationTest needs root and dnsmasq (.ci/run installs it) for " + DNS_ADDRESS + ":53");
        server = TestServer.prepare(directory);
        KeyPair good = key(server, "good");
        key(server, "other");
        key(server, "broken");
        key(server, "absent");
        ConfFile.write(server.conf("dkim/KeyTable"), String.join("\n",
            "good._domainkey.example.com example.com:good:keys/good.private",
            "other._domainkey.example.com example.com:other:keys/other.private",
            "broken._domainkey.example.com example.com:broken:keys/broken.private",
            "absent._domainkey.example.com example.com:absent:keys/absent.private", ""));
        ConfFile.write(server.conf("dkim/SigningTable"), "*@example.com other._domainkey.example.com\n");
        closer.register(Dnsmasq.on(DNS_ADDRESS)
            .txt("good._domainkey.example.com", DkimRecord.of(good.getPublic(), false, false))
            .txt("other._domainkey.example.com", DkimRecord.of(TestKeys.rsa(1024).getPublic(), false, false))
            .txt("broken._domainkey.example.com", "v=DKIM1; k=rsa")
            .localDomain("com")
            .start());
        closer.register(server.editXml("dnsservice.xml", xml -> xml
            .set("/dnsservice/autodiscover", "false")
            .set("/dnsservice/servers", "")
            .set("/dnsservice/servers/server", DNS_ADDRESS))
            .start());
        webAdmin = server.webAdmin();
    }

    @Test
    void eachKeyShouldGetItsDnsStatus() throws Exception {
        assertThat(status(webAdmin, "good")).contains("\"status\":\"published\"");
        assertThat(status(webAdmin, "other")).contains("\"status\":\"mismatch\"");
        assertThat(status(webAdmin, "broken")).contains("\"status\":\"syntaxError\"").contains("\"published\":\"v=DKIM1; k=rsa\"");
        assertThat(status(webAdmin, "absent")).contains("\"status\":\"missing\"");
        HttpResponse<String> unknown = webAdmin.get("/sendonly/dkim/keys/nope._domainkey.example.com/dns");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("is not in the KeyTable");
        assertThat(webAdmin.get("/sendonly/dkim/keys?dns=true").body())
            .containsPattern("\"name\":\"good._domainkey.example.com\",[^}]*\"dns\":\"published\"")
            .containsPattern("\"name\":\"other._domainkey.example.com\",[^}]*\"dns\":\"mismatch\"")
            .containsPattern("\"name\":\"absent._domainkey.example.com\",[^}]*\"dns\":\"missing\"");
    }

    /** The documented sequence: new selector, its record published, switch, the old key kept until deleted. */
    @Test
    void rotationShouldWaitForThePublishedRecordThenKeepTheOldKeyUntilDeleted() throws Exception {
        HttpResponse<String> unpublished = webAdmin.post("/sendonly/dkim/rotation",
            "{\"pattern\":\"*@example.com\",\"key\":\"absent._domainkey.example.com\"}");
        assertThat(unpublished.statusCode()).isEqualTo(409);
        assertThat(unpublished.body()).contains("is missing");

        HttpResponse<String> rotated = webAdmin.post("/sendonly/dkim/rotation",
            "{\"pattern\":\"*@example.com\",\"key\":\"good._domainkey.example.com\"}");
        assertThat(rotated.statusCode()).as(rotated.body()).isEqualTo(200);
        assertThat(webAdmin.get("/sendonly/dkim/signingTable").body())
            .isEqualTo("[{\"pattern\":\"*@example.com\",\"key\":\"good._domainkey.example.com\"}]");
        assertThat(webAdmin.get("/sendonly/dkim/keys").body())
            .containsPattern("\\{\"name\":\"other._domainkey.example.com\",\"domain\":\"example.com\",\"selector\":\"other\","
                + "\"algorithm\":\"RSA_SHA256\",\"bits\":1024,\"created\":\"[^\"]+\",\"inUse\":false,\"dns\":null}");

        assertThat(webAdmin.delete("/sendonly/dkim/keys/good._domainkey.example.com").statusCode()).isEqualTo(409);
        assertThat(webAdmin.delete("/sendonly/dkim/keys/other._domainkey.example.com").statusCode()).isEqualTo(204);
        assertThat(server.conf("dkim/keys/other.private")).doesNotExist();
        assertThat(webAdmin.get("/sendonly/dkim/keys").body()).doesNotContain("other._domainkey");

        HttpResponse<String> forced = webAdmin.post("/sendonly/dkim/rotation",
            "{\"pattern\":\"*@example.com\",\"key\":\"absent._domainkey.example.com\",\"force\":true}");
        assertThat(forced.statusCode()).isEqualTo(200);
    }

    private static KeyPair key(TestServer server, String selector) throws Exception {
        KeyPair pair = TestKeys.rsa(1024);
        TestKeys.write(server.conf("dkim/keys/" + selector + ".private"), pair.getPrivate(), "rw-------");
        return pair;
    }

    private static String status(WebAdmin webAdmin, String selector) throws Exception {
        HttpResponse<String> response = webAdmin.get("/sendonly/dkim/keys/" + selector + "._domainkey.example.com/dns");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }
}
