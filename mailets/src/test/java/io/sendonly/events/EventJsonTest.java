package io.sendonly.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class EventJsonTest {
    private static final Instant TIME = Instant.parse("2026-11-30T11:49:22.123Z");
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void toJsonShouldWriteEveryFieldOfARecipientEvent() throws Exception {
        MessageEvent event = MessageEvent.of(TIME, EventType.BOUNCED, "abc@example.com", "Mail1", "alice@example.net", "5.1.1",
            Map.of("reply", "550 5.1.1 no such user", "relay", "mx.example.net[192.0.2.1]:25"));

        JsonNode json = mapper.readTree(EventJson.toJson(event));

        assertThat(json.get("id").asText()).isEqualTo(event.id());
        assertThat(json.get("time").asText()).isEqualTo("2026-11-30T11:49:22.123Z");
        assertThat(json.get("type").asText()).isEqualTo("bounced");
        assertThat(json.get("messageId").asText()).isEqualTo("abc@example.com");
        assertThat(json.get("queueId").asText()).isEqualTo("Mail1");
        assertThat(json.get("recipient").asText()).isEqualTo("alice@example.net");
        assertThat(json.get("status").asText()).isEqualTo("5.1.1");
        assertThat(json.get("bounceClass").asText()).isEqualTo("hard");
        assertThat(json.get("details").get("reply").asText()).isEqualTo("550 5.1.1 no such user");
    }

    @Test
    void toJsonShouldLeaveOutWhatAMessageEventHasNot() throws Exception {
        JsonNode json = mapper.readTree(EventJson.toJson(MessageEvent.of(TIME, EventType.RECEIVED, "", "Mail1", Map.of("client", "::1"))));

        assertThat(json.has("recipient")).isFalse();
        assertThat(json.has("status")).isFalse();
        assertThat(json.has("bounceClass")).isFalse();
        assertThat(json.get("details").get("client").asText()).isEqualTo("::1");
    }

    @Test
    void toJsonShouldKeepAnEventOnOneLineWhateverTheReply() {
        String json = EventJson.toJson(MessageEvent.of(TIME, EventType.DEFERRED, "m", "Mail1", "a@b.example", "4.2.2",
            Map.of("reply", "452-4.2.2 mailbox full\r\n452 4.2.2 try later")));

        assertThat(json).doesNotContain("\n", "\r");
    }

    @Test
    void idOfShouldReadTheIdBackAndRefuseATornLine() {
        MessageEvent event = MessageEvent.of(TIME, EventType.QUEUED, "m", "Mail1", Map.of("retries", "0"));
        String json = EventJson.toJson(event);

        assertThat(EventJson.idOf(json)).contains(event.id());
        assertThat(EventJson.idOf(json.substring(0, json.length() / 2))).isEmpty();
    }
}
