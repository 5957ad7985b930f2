package io.sendonly.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sendonly.events.EventType;
import io.sendonly.events.Events;
import io.sendonly.events.MessageEvent;

/**
 * What the listener adds to the mail thread per event, measured on 100,000 events of a typical mix (received, signed,
 * delivered, deferred, bounced) after a warm-up. The bound is loose (a busy CI machine), the figure is printed.
 */
class DeliveryMetricsCostTest {
    private static final int EVENTS = 100_000;
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    @Test
    void onShouldCostUnderTenMicrosecondsPerEvent() {
        DeliveryMetrics metrics = new DeliveryMetrics(new Events());
        List<MessageEvent> mix = List.of(
            MessageEvent.of(NOW, EventType.RECEIVED, "id", "Mail1", Map.of("client", "127.0.0.1", "sender", "a@example.com")),
            MessageEvent.of(NOW, EventType.SIGNED, "id", "Mail1", Map.of("keys", "example.com/s1")),
            MessageEvent.of(NOW, EventType.DELIVERED, "id", "Mail1", "b@example.net", "2.0.0",
                Map.of("route", "direct", "tls", "TLSv1.3", "delay", "0.412", "relay", "mx[192.0.2.1]:25")),
            MessageEvent.of(NOW, EventType.DEFERRED, "id", "Mail1", "c@example.net", "4.2.0",
                Map.of("route", "direct", "tls", "none", "reply", "450 4.2.0 later", "delay", "1.5")),
            MessageEvent.of(NOW, EventType.BOUNCED, "id", "Mail1", "d@example.net", "5.1.1",
                Map.of("route", "direct", "tls", "none", "reply", "550 5.1.1 unknown", "delay", "1.5")));
        for (int i = 0; i < EVENTS; i++) {
            metrics.on(mix.get(i % mix.size()));
        }

        long start = System.nanoTime();
        for (int i = 0; i < EVENTS; i++) {
            metrics.on(mix.get(i % mix.size()));
        }
        double nanosPerEvent = (System.nanoTime() - start) / (double) EVENTS;

        System.out.printf("DeliveryMetrics.on: %.0f ns per event over %d events%n", nanosPerEvent, EVENTS);
        PrometheusText page = new PrometheusText();
        metrics.writeTo(page);
        assertThat(page.toString()).contains("\nsendonly_messages_received_total " + 2 * EVENTS / mix.size() + "\n");
        assertThat(nanosPerEvent).isLessThan(10_000);
    }
}
