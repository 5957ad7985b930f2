package io.sendonly.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sendonly.events.Events;
import io.sendonly.suppress.Suppression;
import io.sendonly.suppress.SuppressionList;
import io.sendonly.suppress.SuppressionSettings;

class SuppressionRoutesTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final String PATH = SuppressionRoutes.BASE_PATH;

    @TempDir
    Path directory;
    private SuppressionList suppressions;
    private RoutesServer server;

    @BeforeEach
    void setUp() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        suppressions = new SuppressionList(SuppressionSettings.DEFAULTS, directory.resolve(SuppressionList.FILE), new Events(), clock);
        server = RoutesServer.start(new SuppressionRoutes(suppressions, clock));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    private void listed(String address, Optional<String> senderDomain) {
        suppressions.store().add(new Suppression(address, senderDomain, NOW, NOW.plus(Duration.ofDays(30)), "5.1.1",
            "550 5.1.1 no such user"));
    }

    @Test
    void getShouldPageAndSearchTheEntries() throws Exception {
        for (String address : new String[] {"a@example.net", "b@example.net", "c@other.org", "d@example.net"}) {
            listed(address, Optional.empty());
        }

        assertThat(server.get(PATH).body()).contains("a@example.net", "b@example.net", "c@other.org", "d@example.net");
        String page = server.get(PATH + "?q=example.net&offset=1&limit=1").body();
        assertThat(page).isEqualTo("[{\"address\":\"b@example.net\",\"senderDomain\":null,\"listedAt\":\"" + NOW
            + "\",\"expiresAt\":\"" + NOW.plus(Duration.ofDays(30)) + "\",\"status\":\"5.1.1\",\"reply\":\"550 5.1.1 no such user\"}]");
    }

    @Test
    void getOneShouldAnswerEachSenderDomainOfTheAddressAnd404ForAnother() throws Exception {
        listed("gone@example.net", Optional.empty());
        listed("gone@example.net", Optional.of("shop.example"));

        assertThat(server.get(PATH + "/Gone@example.net").body()).contains("\"senderDomain\":null", "\"senderDomain\":\"shop.example\"");
        HttpResponse<String> missing = server.get(PATH + "/other@example.net");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("address: other@example.net is not suppressed");
    }

    @Test
    void postShouldListTheAddressForTheSenderDomainUntilTheExpiryGiven() throws Exception {
        HttpResponse<String> added = server.post(PATH, "{\"address\":\"Someone@Example.net\",\"senderDomain\":\"shop.example\",\"expires\":\"7d\"}");

        assertThat(added.statusCode()).isEqualTo(201);
        assertThat(suppressions.find("someone@example.net", Optional.of("shop.example")))
            .map(Suppression::expiresAt).contains(NOW.plus(Duration.ofDays(7)));
        assertThat(suppressions.find("someone@example.net", Optional.of("news.example"))).isEmpty();
    }

    @Test
    void postWithoutExpiryShouldUseTheConfiguredOne() throws Exception {
        assertThat(server.post(PATH, "{\"address\":\"someone@example.net\"}").statusCode()).isEqualTo(201);

        assertThat(suppressions.find("someone@example.net", Optional.empty())).map(Suppression::expiresAt)
            .contains(NOW.plus(SuppressionSettings.DEFAULTS.expiry()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"address\":\"not an address\"}|address: 'not an address': expected an email address",
        "{\"senderDomain\":\"shop.example\"}|address: missing",
        "{\"address\":\"a@example.net\",\"senderDomain\":\"not a domain\"}|senderDomain: 'not a domain': expected a domain name",
        "{\"address\":\"a@example.net\",\"expires\":\"soon\"}|<expires> 'soon': expected a number and ms, s, m, h, d or w",
        "{\"address\":\"a@example.net\",\"expires\":\"2020-01-01T00:00:00Z\"}|expires: '2020-01-01T00:00:00Z' is not in the future"})
    void postShouldRefuseBadInputNamingTheField(String body, String message) throws Exception {
        HttpResponse<String> refused = server.post(PATH, body);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains(message);
        assertThat(suppressions.store().search("", 0, 10)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"limit=0|limit: '0': expected a number from 1 to 1000", "offset=x|offset: 'x': expected a number"})
    void getShouldRefuseABadPageNamingTheParameter(String query, String message) throws Exception {
        HttpResponse<String> refused = server.get(PATH + "?" + query);

        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains(message);
    }

    @Test
    void deleteShouldRemoveTheEntryOfThatSenderDomainOnlyAnd404WhenNone() throws Exception {
        listed("gone@example.net", Optional.empty());
        listed("gone@example.net", Optional.of("shop.example"));

        assertThat(server.delete(PATH + "/gone@example.net?senderDomain=shop.example").statusCode()).isEqualTo(204);
        assertThat(server.delete(PATH + "/gone@example.net?senderDomain=shop.example").statusCode()).isEqualTo(404);
        assertThat(suppressions.find("gone@example.net", Optional.of("shop.example"))).map(Suppression::senderDomain).contains(Optional.empty());
        assertThat(server.delete(PATH + "/gone@example.net").statusCode()).isEqualTo(204);
        assertThat(suppressions.find("gone@example.net", Optional.of("shop.example"))).isEmpty();
    }
}
