package io.sendonly.events;

import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one JSON form of a {@link MessageEvent}, on one line, for the event log and webhooks alike:
 * <pre>{"id":"…","time":"2026-11-30T11:49:22.123Z","type":"bounced","messageId":"…","queueId":"…",
 * "recipient":"alice@example.com","status":"5.1.1","bounceClass":"hard","details":{"relay":"…","reply":"…"}}</pre>
 * Absent optional fields are left out; types and classes are lower case; details are sorted by key.
 */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventJson() {
    }

    public static String toJson(MessageEvent event) {
        ObjectNode node = MAPPER.createObjectNode()
            .put("id", event.id())
            .put("time", event.time().toString())
            .put("type", event.type().name().toLowerCase(Locale.ROOT))
            .put("messageId", event.messageId())
            .put("queueId", event.queueId());
        event.recipient().ifPresent(recipient -> node.put("recipient", recipient));
        event.status().ifPresent(status -> node.put("status", status));
        event.bounceClass().ifPresent(bounceClass -> node.put("bounceClass", bounceClass.name().toLowerCase(Locale.ROOT)));
        ObjectNode details = node.putObject("details");
        new TreeMap<>(event.details()).forEach(details::put);
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A tree of strings always serialises", e);
        }
    }

    /** The {@code id} of an event's JSON, as {@link #toJson} wrote it; empty when the line is not such JSON. */
    public static Optional<String> idOf(String json) {
        try {
            return Optional.ofNullable(MAPPER.readTree(json).get("id")).filter(JsonNode::isTextual).map(JsonNode::asText);
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }
}
