package io.sendonly.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteTableRoutesTest {
    private static final String HEADER = "# routes\n";

    @TempDir
    Path workingDirectory;

    private Path routes;
    private RoutesServer server;

    @BeforeEach
    void setUp() throws Exception {
        ServerConf conf = new ServerConf(workingDirectory);
        routes = conf.conf().resolve("routes");
        Files.writeString(routes, HEADER + "recipient example.org [relay.example.net]:587\n");
        server = RoutesServer.start(new RouteTableRoutes(conf.files()));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void getShouldListRoutesInPrecedenceOrderWithoutPasswords() throws Exception {
        Files.writeString(routes, "default relay.example.net smtp --port=587 --starttls --user=u --pass=secret\n"
            + "sender example.com direct\nrecipient example.org [relay.example.net]:25\n");

        String body = server.get(RouteTableRoutes.BASE_PATH).body();

        assertThat(body).containsSubsequence("\"match\":\"recipient\"", "\"match\":\"sender\"", "\"match\":\"default\"");
        assertThat(body).contains("\"user\":\"u\"").doesNotContain("secret");
    }

    @Test
    void postShouldAddTheHopLastInFailoverOrder() throws Exception {
        HttpResponse<String> response = server.post(RouteTableRoutes.BASE_PATH,
            "{\"match\":\"recipient\",\"domain\":\"Example.ORG\",\"hop\":\"[backup.example.net]:587\"}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(Files.readString(routes)).isEqualTo(HEADER + "recipient example.org [relay.example.net]:587\n"
            + "recipient example.org [backup.example.net]:587\n");
    }

    @Test
    void postShouldTakeADotForSubdomains() throws Exception {
        HttpResponse<String> response = server.post(RouteTableRoutes.BASE_PATH,
            "{\"match\":\"sender\",\"domain\":\".example.com\",\"hop\":\"direct\"}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(Files.readString(routes)).endsWith("sender .example.com direct\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "*.example.org", "example.org.", "..example.org", "exa mple.org"})
    void postShouldAnswer400NamingTheDomainForAnythingButADomainOrDotDomain(String domain) throws Exception {
        HttpResponse<String> response = server.post(RouteTableRoutes.BASE_PATH,
            "{\"match\":\"recipient\",\"domain\":\"" + domain + "\",\"hop\":\"direct\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("domain: '" + domain + "': expected example.org, or .example.org for its subdomains");
    }

    @Test
    void postShouldAnswer400NamingTheMatchForAnUnknownOne() throws Exception {
        HttpResponse<String> response = server.post(RouteTableRoutes.BASE_PATH, "{\"match\":\"relay\",\"hop\":\"direct\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("match: 'relay': expected recipient, sender or default");
    }

    @Test
    void postShouldAnswer400WithoutThePasswordForAHopDeliveryCannotRead() throws Exception {
        HttpResponse<String> response = server.post(RouteTableRoutes.BASE_PATH,
            "{\"match\":\"default\",\"hop\":\"relay.example.net smtp --port=99999 --pass=secret\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("{").contains("hop: ").doesNotContain("secret");
        assertThat(Files.readString(routes)).isEqualTo(HEADER + "recipient example.org [relay.example.net]:587\n");
    }

    @Test
    void putShouldReplaceTheHopsInPlaceAndAnswer204() throws Exception {
        Files.writeString(routes, "recipient example.org [a.example.net]\ndefault direct\n");

        HttpResponse<String> response = server.put(RouteTableRoutes.BASE_PATH,
            "{\"match\":\"recipient\",\"domain\":\"example.org\",\"hops\":[\"[b.example.net]\",\"[c.example.net]\"]}");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(Files.readString(routes))
            .isEqualTo("recipient example.org [b.example.net]\nrecipient example.org [c.example.net]\ndefault direct\n");
    }

    @Test
    void putShouldAnswer201ForANewKey() throws Exception {
        HttpResponse<String> response = server.put(RouteTableRoutes.BASE_PATH,
            "{\"match\":\"default\",\"hops\":[\"[smart.example.net]:587\"]}");

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(Files.readString(routes)).endsWith("default [smart.example.net]:587\n");
    }

    @Test
    void putShouldAnswer400ForNoHops() throws Exception {
        HttpResponse<String> response = server.put(RouteTableRoutes.BASE_PATH, "{\"match\":\"default\",\"hops\":[]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("hops: expected a non-empty array");
    }

    @Test
    void deleteShouldRemoveEveryHopOfTheKey() throws Exception {
        Files.writeString(routes, HEADER + "recipient example.org [a.example.net]\nrecipient example.org [b.example.net]\n");

        HttpResponse<String> response = server.delete(RouteTableRoutes.BASE_PATH + "?match=recipient&domain=example.org");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(Files.readString(routes)).isEqualTo(HEADER);
    }

    @Test
    void deleteShouldAnswer404ForAKeyWithNoRoute() throws Exception {
        HttpResponse<String> response = server.delete(RouteTableRoutes.BASE_PATH + "?match=sender&domain=example.org");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("domain: no sender example.org route");
    }

    @Test
    void aFileEditedIntoAnUnreadableStateShouldAnswer500NamingFileAndLine() throws Exception {
        Files.writeString(routes, "default direct\nrelay example.org direct\n");

        HttpResponse<String> response = server.delete(RouteTableRoutes.BASE_PATH + "?match=default");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("cannot read " + routes + ":2: 'relay': expected recipient, sender or default");
        assertThat(Files.readString(routes)).isEqualTo("default direct\nrelay example.org direct\n");
    }
}
