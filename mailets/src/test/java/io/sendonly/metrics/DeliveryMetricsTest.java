package io.sendonly.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.sendonly.events.EventType;
import io.sendonly.events.Events;
import io.sendonly.events.MessageEvent;

/** Events published as the mailets will, and the page that follows. */
class DeliveryMetricsTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private final Events events = new Events();
    private final DeliveryMetrics metrics = new DeliveryMetrics(events);

    private void recipient(EventType type, String status, Map<String, String> details) {
        events.publish(MessageEvent.of(NOW, type, "id@example.com", "Mail1", "bob@example.net", status, details));
    }

    private String page() {
        PrometheusText page = new PrometheusText();
        metrics.writeTo(page);
        return page.toString();
    }

    @Test
    void receivedEventsShouldBeCounted() {
        events.publish(MessageEvent.of(NOW, EventType.RECEIVED, "id@example.com", "Mail1", Map.of("client", "127.0.0.1")));
        events.publish(MessageEvent.of(NOW, EventType.RECEIVED, "id@example.com", "Mail2", Map.of("uid", "1000")));

        assertThat(page()).contains("\nsendonly_messages_received_total 2\n");
    }

    @Test
    void signedEventsShouldCountEachKeyOfTheirSignatures() {
        events.publish(MessageEvent.of(NOW, EventType.SIGNED, "id", "Mail1", Map.of("keys", "example.com/s1,example.net/s2")));
        events.publish(MessageEvent.of(NOW, EventType.SIGNED, "id", "Mail2", Map.of("keys", "example.com/s1")));

        assertThat(page()).contains("sendonly_messages_signed_total{key=\"example.com/s1\"} 2\n",
            "sendonly_messages_signed_total{key=\"example.net/s2\"} 1\n");
    }

    @Test
    void unalignedEventsShouldNotBeCountedAsAnOutcome() {
        String before = page();

        events.publish(MessageEvent.of(NOW, EventType.UNALIGNED, "id", "Mail1", Map.of("from", "example.com", "action", "accepted")));

        assertThat(page()).isEqualTo(before).doesNotContain("unaligned");
    }

    @Test
    void deliveredEventsShouldCountOutcomeTlsAndDelay() {
        recipient(EventType.DELIVERED, "2.0.0", Map.of("route", "direct", "tls", "TLSv1.3", "delay", "0.3", "relay", "mx[192.0.2.1]:25"));
        recipient(EventType.DELIVERED, "2.0.0", Map.of("route", "direct", "tls", "none", "delay", "7.2"));

        assertThat(page()).contains("sendonly_deliveries_total{outcome=\"delivered\",class=\"none\",route=\"direct\"} 2\n",
            "sendonly_deliveries_tls_total{tls=\"TLSv1.3\"} 1\n", "sendonly_deliveries_tls_total{tls=\"none\"} 1\n",
            "sendonly_delivery_seconds_bucket{le=\"0.25\"} 0\n", "sendonly_delivery_seconds_bucket{le=\"0.5\"} 1\n",
            "sendonly_delivery_seconds_bucket{le=\"10\"} 2\n", "sendonly_delivery_seconds_sum 7.5\n",
            "sendonly_delivery_seconds_count 2\n")
            .doesNotContain("mx[192.0.2.1]");
    }

    @Test
    void failuresShouldBeCountedPerOutcomeClassAndRoute() {
        recipient(EventType.BOUNCED, "5.1.1", Map.of("route", "[smtp.example.org]:587", "reply", "550 5.1.1 no such user"));
        recipient(EventType.DEFERRED, "4.2.0", Map.of("route", "direct", "reply", "450 4.2.0 try later"));
        recipient(EventType.EXPIRED, "4.4.7", Map.of("route", "direct"));
        recipient(EventType.SUPPRESSED, "5.1.1", Map.of("reply", "on the suppression list"));

        assertThat(page()).contains(
            "sendonly_deliveries_total{outcome=\"bounced\",class=\"hard\",route=\"[smtp.example.org]:587\"} 1\n",
            "sendonly_deliveries_total{outcome=\"deferred\",class=\"soft\",route=\"direct\"} 1\n",
            "sendonly_deliveries_total{outcome=\"expired\",class=\"expired\",route=\"direct\"} 1\n",
            "sendonly_deliveries_total{outcome=\"suppressed\",class=\"hard\",route=\"none\"} 1\n");
    }

    @Test
    void aDeliveryThatDoesNotSayItsTlsShouldNotCountAsWithOrWithoutTls() {
        recipient(EventType.DELIVERED, "2.0.0", Map.of("route", "direct", "delay", "1"));

        assertThat(page()).doesNotContain("sendonly_deliveries_tls_total{")
            .contains("sendonly_deliveries_total{outcome=\"delivered\",class=\"none\",route=\"direct\"} 1\n");
    }

    @Test
    void failuresShouldNotCountAsDeliveriesWithOrWithoutTls() {
        recipient(EventType.BOUNCED, "5.7.1", Map.of("route", "direct", "tls", "TLSv1.3", "delay", "1"));

        assertThat(page()).doesNotContain("sendonly_deliveries_tls_total{").contains("sendonly_delivery_seconds_count 0\n");
    }

    @Test
    void attemptQueuedAndReportedEventsShouldNotBeCounted() {
        recipient(EventType.ATTEMPT, "2.0.0", Map.of("route", "direct", "tls", "none"));
        events.publish(MessageEvent.of(NOW, EventType.QUEUED, "id", "Mail1", Map.of("retries", "1")));
        recipient(EventType.REPORTED, "5.1.1", Map.of("report", "failed"));

        assertThat(page()).doesNotContain("sendonly_deliveries_total{", "sendonly_deliveries_tls_total{")
            .contains("\nsendonly_messages_received_total 0\n");
    }

    @Test
    void anUnparsableDelayShouldLeaveTheHistogramButCountTheDelivery() {
        recipient(EventType.DELIVERED, "2.0.0", Map.of("route", "direct", "tls", "none", "delay", "soon"));

        assertThat(page()).contains("sendonly_delivery_seconds_count 0\n",
            "sendonly_deliveries_total{outcome=\"delivered\",class=\"none\",route=\"direct\"} 1\n");
    }

    @Test
    void refusalsShouldBeCountedPerReasonAndFailuresInTotal() {
        metrics.connectionRefused("limit");
        metrics.connectionRefused("limit");
        metrics.connectionRefused("perClientLimit");
        metrics.authFailed();
        metrics.signingFailed();

        assertThat(page()).contains("sendonly_connections_refused_total{reason=\"limit\"} 2\n",
            "sendonly_connections_refused_total{reason=\"perClientLimit\"} 1\n", "\nsendonly_auth_failures_total 1\n",
            "\nsendonly_signing_failures_total 1\n");
    }

    @Test
    void everyFamilyShouldHaveItsHelpAndTypeBeforeItsSamples() {
        String page = page();

        for (String family : new String[] {"sendonly_messages_received_total counter", "sendonly_messages_signed_total counter",
            "sendonly_deliveries_total counter", "sendonly_delivery_seconds histogram", "sendonly_deliveries_tls_total counter",
            "sendonly_signing_failures_total counter", "sendonly_auth_failures_total counter",
            "sendonly_connections_refused_total counter"}) {
            assertThat(page).contains("# TYPE " + family + "\n");
        }
    }
}
