package io.sendonly.events.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sendonly.events.EventType;
import io.sendonly.events.MessageEvent;

class EventJsonTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00.123Z");

    @Test
    void lineShouldBeTheTreeOnOneLineAndParseBackToTheEvent() {
        MessageEvent event = MessageEvent.of(NOW, EventType.DEFERRED, "4f3a@app.example", "Mail1", "alice@example.net", "4.2.0",
            Map.of("reply", "450 4.2.0 line one\r\nline \"two\"", "relay", "mx.example.net[192.0.2.1]:25"));

        String line = EventJson.line(event);

        assertThat(line).doesNotContain("\n").doesNotContain("\r").startsWith("{\"id\":\"" + event.id() + "\",\"time\":\"2026-11-30T10:00:00.123Z\"");
        assertThat(EventJson.parse(line)).isEqualTo(event);
    }

    @Test
    void lineShouldLeaveOutWhatAMessageEventHasNot() {
        MessageEvent event = MessageEvent.of(NOW, EventType.RECEIVED, "", "Mail1", Map.of("client", "127.0.0.1"));

        assertThat(EventJson.line(event)).doesNotContain("recipient", "status", "bounceClass");
        assertThat(EventJson.parse(EventJson.line(event))).isEqualTo(event);
    }

    @Test
    void parseShouldRefuseALineThatIsNotAnEvent() {
        assertThatThrownBy(() -> EventJson.parse("{\"id\":\"x\",\"time\":\"2026-11-30T10:0")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EventJson.parse("{\"id\":\"x\"}")).isInstanceOf(IllegalArgumentException.class);
    }
}
