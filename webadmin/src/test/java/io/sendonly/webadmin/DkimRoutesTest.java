package io.sendonly.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DkimRoutesTest {
    private static final String KEYS = DkimRoutes.BASE_PATH + "/keys";
    private static final String SIGNING_TABLE = DkimRoutes.BASE_PATH + "/signingTable";
    private static final String NAME = "mail._domainkey.example.com";
    private static final Pattern TXT = Pattern.compile("\"txt\":\"([^\"]+)\"");

    @TempDir
    Path workingDirectory;

    private final TxtRecords dns = new TxtRecords();
    private Path dkim;
    private RoutesServer server;

    @BeforeEach
    void setUp() throws Exception {
        ServerConf conf = new ServerConf(workingDirectory);
        dkim = Files.createDirectories(conf.conf().resolve("dkim"));
        Files.writeString(dkim.resolve("KeyTable"), "# keys\n");
        Files.writeString(dkim.resolve("SigningTable"), "# first match wins\n");
        server = RoutesServer.start(new DkimRoutes(conf.files(), dns));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void postKeyShouldWriteAPrivateKeyFileAndItsKeyTableLineAndAnswerTheRecord() throws Exception {
        HttpResponse<String> response = createKey("Example.COM", "mail");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).contains("\"name\":\"" + NAME + "\"", "\"txt\":\"v=DKIM1; k=ed25519; p=");
        assertThat(Files.readString(dkim.resolve("KeyTable")))
            .isEqualTo("# keys\n" + NAME + " example.com:mail:keys/example.com/mail.private\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dkim.resolve("keys/example.com/mail.private"))))
            .isEqualTo("rw-------");
    }

    @Test
    void postKeyShouldAnswer409ForASelectorInUse() throws Exception {
        createKey("example.com", "mail");

        HttpResponse<String> response = createKey("example.com", "mail");

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(response.body()).contains("selector: key " + NAME + " exists already");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "localhost| mail| domain: 'localhost': expected a domain name, e.g. example.com",
        "example.com/../x| mail| domain: 'example.com/../x': expected a domain name",
        "example.com| ../mail| selector: '../mail': expected letters, digits and '-'",
        "example.com| a.b| selector: 'a.b': expected letters, digits and '-'",
    })
    void postKeyShouldAnswer400NamingTheFieldAndWriteNothing(String domain, String selector, String message) throws Exception {
        HttpResponse<String> response = createKey(domain, selector);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains(message);
        assertThat(Files.readString(dkim.resolve("KeyTable"))).isEqualTo("# keys\n");
        assertThat(dkim.resolve("keys")).doesNotExist();
    }

    @Test
    void dnsCheckShouldTellMissingPublishedAndMismatch() throws Exception {
        String record = txt(createKey("example.com", "mail"));

        assertThat(server.get(KEYS + "/" + NAME + "/dns").body()).contains("\"status\":\"missing\"");
        dns.publish(NAME, "\"" + record.substring(0, 20) + "\" \"" + record.substring(20) + "\"");
        assertThat(server.get(KEYS + "/" + NAME + "/dns").body()).contains("\"status\":\"published\"");
        dns.publish(NAME, "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        assertThat(server.get(KEYS + "/" + NAME + "/dns").body()).contains("\"status\":\"mismatch\"");
    }

    @Test
    void dnsCheckShouldAnswer404ForANameNotInTheKeyTable() throws Exception {
        assertThat(server.get(KEYS + "/nothing._domainkey.example.com/dns").statusCode()).isEqualTo(404);
    }

    @Test
    void postSigningEntryShouldInsertAtThePositionGiven() throws Exception {
        createKey("example.com", "mail");
        assertThat(server.post(SIGNING_TABLE, "{\"pattern\":\"*@example.com\",\"key\":\"" + NAME + "\"}").statusCode()).isEqualTo(201);

        HttpResponse<String> response = server.post(SIGNING_TABLE,
            "{\"pattern\":\"ceo@example.com\",\"key\":\"" + NAME + "\",\"position\":0}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(Files.readString(dkim.resolve("SigningTable")))
            .isEqualTo("# first match wins\nceo@example.com " + NAME + "\n*@example.com " + NAME + "\n");
    }

    @Test
    void postSigningEntryShouldAnswer400ForAKeyNotInTheKeyTable() throws Exception {
        HttpResponse<String> response = server.post(SIGNING_TABLE, "{\"pattern\":\"*@example.com\",\"key\":\"other\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("key: 'other' is not in the KeyTable");
        assertThat(Files.readString(dkim.resolve("SigningTable"))).isEqualTo("# first match wins\n");
    }

    @Test
    void deleteKeyShouldAnswer409WhileTheSigningTableUsesIt() throws Exception {
        createKey("example.com", "mail");
        server.post(SIGNING_TABLE, "{\"pattern\":\"*@example.com\",\"key\":\"" + NAME + "\"}");

        HttpResponse<String> response = server.delete(KEYS + "/" + NAME);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(dkim.resolve("keys/example.com/mail.private")).exists();
    }

    @Test
    void deleteKeyShouldRemoveTheLineAndTheKeyFiles() throws Exception {
        createKey("example.com", "mail");

        HttpResponse<String> response = server.delete(KEYS + "/" + NAME);

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(Files.readString(dkim.resolve("KeyTable"))).isEqualTo("# keys\n");
        assertThat(dkim.resolve("keys/example.com/mail.private")).doesNotExist();
        assertThat(dkim.resolve("keys/example.com/mail.txt")).doesNotExist();
    }

    @Test
    void rotationShouldBeRefusedUntilTheNewRecordIsPublishedUnlessForced() throws Exception {
        createKey("example.com", "old");
        server.post(SIGNING_TABLE, "{\"pattern\":\"*@example.com\",\"key\":\"old._domainkey.example.com\"}");
        String record = txt(createKey("example.com", "new"));
        String rotation = "{\"pattern\":\"*@example.com\",\"key\":\"new._domainkey.example.com\"";

        HttpResponse<String> refused = server.post(DkimRoutes.BASE_PATH + "/rotation", rotation + "}");
        dns.publish("new._domainkey.example.com", record);
        HttpResponse<String> rotated = server.post(DkimRoutes.BASE_PATH + "/rotation", rotation + "}");

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("the DNS record of 'new._domainkey.example.com' is missing");
        assertThat(rotated.statusCode()).isEqualTo(200);
        assertThat(Files.readString(dkim.resolve("SigningTable"))).endsWith("*@example.com new._domainkey.example.com\n");
    }

    private HttpResponse<String> createKey(String domain, String selector) throws Exception {
        return server.post(KEYS, "{\"domain\":\"" + domain + "\",\"selector\":\"" + selector + "\",\"algorithm\":\"ed25519\"}");
    }

    private static String txt(HttpResponse<String> created) {
        Matcher txt = TXT.matcher(created.body());
        assertThat(txt.find()).as(created.body()).isTrue();
        return txt.group(1);
    }
}
