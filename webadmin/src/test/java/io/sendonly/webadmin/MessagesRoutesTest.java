package io.sendonly.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sendonly.events.EventType;
import io.sendonly.events.Events;
import io.sendonly.events.MessageEvent;
import io.sendonly.events.log.EventLog;
import io.sendonly.events.log.EventLogFiles;
import io.sendonly.events.log.EventLogSearch;
import io.sendonly.events.log.EventLogSettings;

class MessagesRoutesTest {
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path folder;

    private RoutesServer server;

    @BeforeEach
    void setUp() throws Exception {
        EventLogFiles files = new EventLogFiles(folder, EventLogSettings.DEFAULT, Clock.fixed(T0.plusSeconds(60), ZoneOffset.UTC));
        Events events = new Events();
        EventLog log = new EventLog(files);
        log.start(events);
        events.publish(MessageEvent.of(T0, EventType.RECEIVED, "m1@example.com", "Mail1", Map.of("client", "127.0.0.1")));
        events.publish(MessageEvent.of(T0.plusSeconds(2), EventType.BOUNCED, "m1@example.com", "Mail1", "bob@example.net", "5.1.1",
            Map.of("reply", "550 5.1.1 unknown user")));
        events.publish(MessageEvent.of(T0.plusSeconds(1), EventType.DELIVERED, "m1@example.com", "Mail1", "alice@example.net", "2.0.0",
            Map.of("reply", "250 ok")));
        events.publish(MessageEvent.of(T0.plusSeconds(3), EventType.RECEIVED, "m2@example.com", "Mail2", Map.of("uid", "33")));
        log.close();
        server = RoutesServer.start(new MessagesRoutes(new EventLogSearch(files)));
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void getShouldAnswerTheEventsOfTheMessageIdInTimeOrder() throws Exception {
        JsonNode events = events("?messageId=%3Cm1@example.com%3E");

        assertThat(events.findValuesAsText("type")).containsExactly("RECEIVED", "DELIVERED", "BOUNCED");
        assertThat(events.get(2).get("bounceClass").asText()).isEqualTo("HARD");
        assertThat(events.get(2).get("details").get("reply").asText()).isEqualTo("550 5.1.1 unknown user");
    }

    @Test
    void getShouldCombineTheFilters() throws Exception {
        assertThat(events("?queueId=Mail1&recipient=BOB@example.net").findValuesAsText("type")).containsExactly("BOUNCED");
        assertThat(events("?since=2026-11-30T10:00:01Z&until=2026-11-30T10:00:03Z").findValuesAsText("type"))
            .containsExactly("DELIVERED", "BOUNCED");
        assertThat(events("?limit=2&offset=1").findValuesAsText("queueId")).containsExactly("Mail1", "Mail1");
        assertThat(events("?messageId=nothing@example.com")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "since=yesterday|since",
        "until=2026-11-30|until",
        "limit=0|limit",
        "limit=many|limit",
        "offset=-1|offset",
        "message-id=m1|message-id",
        "queueId=|queueId"})
    void getShouldAnswer400NamingTheBadParameter(String query, String parameter) throws Exception {
        HttpResponse<String> response = server.get(MessagesRoutes.BASE_PATH + "?" + query);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(response.body()).get("message").asText()).startsWith(parameter + ":");
    }

    private JsonNode events(String query) throws Exception {
        HttpResponse<String> response = server.get(MessagesRoutes.BASE_PATH + query);
        assertThat(response.statusCode()).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }
}
