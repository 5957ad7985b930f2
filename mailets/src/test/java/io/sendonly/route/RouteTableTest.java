package io.sendonly.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Route precedence against golden files: {@code routes.in} is the table, {@code routes.expected} the choices. */
class RouteTableTest {
    @Test
    void routesShouldFollowThePrecedenceOfTheGoldenFile() throws IOException {
        RouteTable table = RouteTable.parse(lines("routes.in"), "routes.in");

        for (String expected : lines("routes.expected")) {
            String[] parts = expected.split(" -> ");
            String[] query = parts[0].split(" from ");
            String recipientDomain = query[0].substring(query[0].indexOf('@') + 1);
            Optional<String> senderDomain = query[1].equals("<>") ? Optional.empty() : Optional.of(query[1].substring(query[1].indexOf('@') + 1));
            RouteTable.Route route = table.route(recipientDomain, senderDomain);
            String actual = route.direct() ? "direct" : route.smartHosts().stream().map(NextHop::toString).collect(Collectors.joining(", "));
            assertThat(actual).as(parts[0]).isEqualTo(parts[1]);
        }
    }

    @Test
    void senderRouteShouldBeTheSenderDomainsElseTheDefaultIgnoringRecipientRoutes() {
        RouteTable table = RouteTable.parse(List.of("recipient example.com [mx.partner.example]:25",
            "sender .example.org [relay.example.org]:587", "default [relay.example.net]:587"), "routes");

        assertThat(table.senderRoute("news.example.org").smartHosts()).extracting(NextHop::host).containsExactly("relay.example.org");
        assertThat(table.senderRoute("example.com").smartHosts()).extracting(NextHop::host).containsExactly("relay.example.net");
    }

    @Test
    void emptyTableShouldDeliverDirect() {
        assertThat(RouteTable.parse(List.of("# nothing"), "routes").route("example.com", Optional.of("example.org")).direct()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "relay example.com direct| routes:2: 'relay': expected recipient, sender or default",
        "recipient example.com| routes:2: expected 'recipient DOMAIN HOP'",
        "recipient example.com [smtp.example.com]:x| routes:2: '[smtp.example.com]:x' is not [host]:port or domain:port",
        "sender example.com host smtp --user=u --pass=hunter2 --bogus| routes:2: unknown nullmailer option '--bogus'",
    })
    void badLinesShouldNameFileAndLine(String line, String message) {
        assertThatThrownBy(() -> RouteTable.parse(List.of("# routes", line), "routes"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage(message);
    }

    @ParameterizedTest(name = "{0} then {1}")
    @CsvSource(delimiter = '|', value = {
        "default direct|default [smtp.example.com]:587",
        "default [smtp.example.com]:587|default direct",
        "recipient example.org direct|recipient example.org [smtp.example.com]:587",
    })
    void directShouldNotMixWithSmartHostsInEitherOrder(String first, String second) {
        assertThatThrownBy(() -> RouteTable.parse(List.of(first, second), "routes"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("routes:2: 'direct' cannot be mixed with smart hosts");
    }

    private static List<String> lines(String resource) throws IOException {
        try (InputStream in = RouteTableTest.class.getResourceAsStream("/routes/" + resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
