package io.sendonly.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sendonly.server.testing.TestCa;

class TlsPolicyRoutesTest {
    private static final String PATH = TlsPolicyRoutes.BASE_PATH;

    @TempDir
    Path workingDirectory;

    private Path table;
    private RoutesServer server;

    @BeforeEach
    void setUp() throws Exception {
        ServerConf conf = new ServerConf(workingDirectory);
        table = conf.conf().resolve("tls_policy");
        Files.writeString(table, "# pins\nexample.org  encrypt   # partner asked\n");
        TestCa.create("pinned").writeCertificate(conf.conf().resolve("pinned.pem"));
        server = RoutesServer.start(new TlsPolicyRoutes(conf.files()));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void getShouldListTheEntriesInFileOrder() throws Exception {
        Files.writeString(table, "example.org encrypt\n[relay.example]:587 secure match=nexthop:.relay.example tafile=pinned.pem\n");

        assertThat(server.get(PATH).body()).isEqualTo("[{\"key\":\"example.org\",\"level\":\"encrypt\",\"match\":[],\"tafile\":null},"
            + "{\"key\":\"[relay.example]:587\",\"level\":\"secure\",\"match\":[\"nexthop\",\".relay.example\"],\"tafile\":\"pinned.pem\"}]");
    }

    @Test
    void getOneShouldFindTheEntryByItsKeyAnd404ForAnother() throws Exception {
        assertThat(server.get(PATH + "/EXAMPLE.org").body()).contains("\"level\":\"encrypt\"");
        HttpResponse<String> missing = server.get(PATH + "/example.net");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("key: no TLS policy for example.net");
    }

    @Test
    void putShouldAddANewKeyAtTheEndAndKeepTheComments() throws Exception {
        HttpResponse<String> response = server.put(PATH + "/" + encode("[relay.example]:587"),
            "{\"level\":\"verify\",\"match\":[\"hostname\",\"relay.example\"],\"tafile\":\"pinned.pem\"}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(Files.readString(table)).isEqualTo("# pins\nexample.org  encrypt   # partner asked\n"
            + "[relay.example]:587 verify match=hostname:relay.example tafile=pinned.pem\n");
    }

    @Test
    void putShouldReplaceTheKeysEntryInPlace() throws Exception {
        Files.writeString(table, "example.org encrypt\nexample.net may\n");

        HttpResponse<String> response = server.put(PATH + "/example.org", "{\"level\":\"secure\"}");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(Files.readString(table)).isEqualTo("example.org secure\nexample.net may\n");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "example.org | {\"level\":\"strict\"} | unknown TLS security level",
        "example.org | {} | level: missing",
        "example.org | {\"level\":\"may\",\"match\":[\"mx.example.org\"]} | match= and tafile= apply to verify and secure",
        "example.org | {\"level\":\"verify\",\"tafile\":\"missing.pem\"} | policy: ",
        "example.org | {\"level\":\"verify\",\"match\":\"hostname\"} | match: expected an array",
        "exa_mple | {\"level\":\"may\"} | key: ",
    })
    void putThatWouldNotLoadShouldBeRefused400AndChangeNothing(String key, String body, String message) throws Exception {
        String before = Files.readString(table);

        HttpResponse<String> response = server.put(PATH + "/" + encode(key), body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains(message);
        assertThat(Files.readString(table)).isEqualTo(before);
    }

    @Test
    void deleteShouldRemoveTheEntryAnd404WhenThereIsNone() throws Exception {
        assertThat(server.delete(PATH + "/example.org").statusCode()).isEqualTo(204);
        assertThat(Files.readString(table)).isEqualTo("# pins\n");
        assertThat(server.delete(PATH + "/example.org").statusCode()).isEqualTo(404);
    }

    private static String encode(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8);
    }
}
