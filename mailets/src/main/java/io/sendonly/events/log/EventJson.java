package io.sendonly.events.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sendonly.events.BounceClass;
import io.sendonly.events.EventType;
import io.sendonly.events.MessageEvent;

/**
 * The JSON form of a {@link MessageEvent}, one object per line of the event log, as the trace answers it: {@code id},
 * {@code time} (ISO instant), {@code type}, {@code messageId}, {@code queueId}, then when present {@code recipient},
 * {@code status}, {@code bounceClass}, and {@code details} (an object of strings).
 */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EventJson() {
    }

    public static ObjectNode tree(MessageEvent event) {
        ObjectNode node = MAPPER.createObjectNode()
            .put("id", event.id())
            .put("time", event.time().toString())
            .put("type", event.type().name())
            .put("messageId", event.messageId())
            .put("queueId", event.queueId());
        event.recipient().ifPresent(recipient -> node.put("recipient", recipient));
        event.status().ifPresent(status -> node.put("status", status));
        event.bounceClass().ifPresent(bounceClass -> node.put("bounceClass", bounceClass.name()));
        ObjectNode details = node.putObject("details");
        event.details().entrySet().stream().sorted(Map.Entry.comparingByKey())
            .forEach(entry -> details.put(entry.getKey(), entry.getValue()));
        return node;
    }

    /** One line, without its line break: JSON escapes every control character. */
    public static String line(MessageEvent event) {
        try {
            return MAPPER.writeValueAsString(tree(event));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @throws IllegalArgumentException when the line is not an event */
    public static MessageEvent parse(String line) {
        try {
            JsonNode node = MAPPER.readTree(line);
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException("not a JSON object");
            }
            Map<String, String> details = new LinkedHashMap<>();
            node.path("details").fields().forEachRemaining(entry -> details.put(entry.getKey(), entry.getValue().asText()));
            return new MessageEvent(required(node, "id"), Instant.parse(required(node, "time")), EventType.valueOf(required(node, "type")),
                required(node, "messageId"), required(node, "queueId"), optional(node, "recipient"), optional(node, "status"),
                optional(node, "bounceClass").map(BounceClass::valueOf), details);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not an event: " + e.getMessage(), e);
        }
    }

    private static String required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field + " missing");
        }
        return value.asText();
    }

    private static Optional<String> optional(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? Optional.empty() : Optional.of(value.asText());
    }
}
