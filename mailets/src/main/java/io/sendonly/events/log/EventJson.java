package io.sendonly.events.log;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;
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

    /** The event as a JSON object, for an answer that holds several (the trace). */
    public static ObjectNode tree(MessageEvent event) {
        try {
            return (ObjectNode) MAPPER.readTree(line(event));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One line, without its line break: JSON escapes every control character. Written field by field, without
     * building a tree: the event log writes every event.
     */
    public static String line(MessageEvent event) {
        StringWriter line = new StringWriter(256);
        try (JsonGenerator json = MAPPER.getFactory().createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("id", event.id());
            json.writeStringField("time", event.time().toString());
            json.writeStringField("type", event.type().name());
            json.writeStringField("messageId", event.messageId());
            json.writeStringField("queueId", event.queueId());
            if (event.recipient().isPresent()) {
                json.writeStringField("recipient", event.recipient().get());
            }
            if (event.status().isPresent()) {
                json.writeStringField("status", event.status().get());
            }
            if (event.bounceClass().isPresent()) {
                json.writeStringField("bounceClass", event.bounceClass().get().name());
            }
            json.writeObjectFieldStart("details");
            for (Map.Entry<String, String> entry : new TreeMap<>(event.details()).entrySet()) {
                json.writeStringField(entry.getKey(), entry.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return line.toString();
    }

    /** The {@code id} of an event's line, for de-duplication; empty when the line is not such JSON. */
    public static Optional<String> idOf(String line) {
        try {
            return Optional.ofNullable(MAPPER.readTree(line)).map(node -> node.get("id")).filter(JsonNode::isTextual).map(JsonNode::asText);
        } catch (JsonProcessingException e) {
            return Optional.empty();
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
