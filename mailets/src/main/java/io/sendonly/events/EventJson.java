package io.sendonly.events;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The one JSON form of a {@link MessageEvent}, on one line, for the event log and webhooks alike:
 * <pre>{"id":"…","time":"2026-11-30T11:49:22.123Z","type":"bounced","messageId":"…","queueId":"…",
 * "recipient":"alice@example.com","status":"5.1.1","bounceClass":"hard","details":{"relay":"…","reply":"…"}}</pre>
 * Absent optional fields are left out; types and classes are lower case; details are sorted by key.
 */
public final class EventJson {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private EventJson() {
    }

    public static String toJson(MessageEvent event) {
        StringWriter text = new StringWriter(512);
        try (JsonGenerator json = FACTORY.createGenerator(text)) {
            json.writeStartObject();
            json.writeStringField("id", event.id());
            json.writeStringField("time", event.time().toString());
            json.writeStringField("type", event.type().name().toLowerCase(Locale.ROOT));
            json.writeStringField("messageId", event.messageId());
            json.writeStringField("queueId", event.queueId());
            if (event.recipient().isPresent()) {
                json.writeStringField("recipient", event.recipient().get());
            }
            if (event.status().isPresent()) {
                json.writeStringField("status", event.status().get());
            }
            if (event.bounceClass().isPresent()) {
                json.writeStringField("bounceClass", event.bounceClass().get().name().toLowerCase(Locale.ROOT));
            }
            json.writeObjectFieldStart("details");
            for (Map.Entry<String, String> detail : new TreeMap<>(event.details()).entrySet()) {
                json.writeStringField(detail.getKey(), detail.getValue());
            }
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("Writing to a string does not fail", e);
        }
        return text.toString();
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
