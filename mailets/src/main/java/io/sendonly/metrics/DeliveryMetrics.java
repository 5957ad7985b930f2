package io.sendonly.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.inject.Inject;
import javax.inject.Singleton;

import io.sendonly.events.BounceClass;
import io.sendonly.events.EventListener;
import io.sendonly.events.Events;
import io.sendonly.events.MessageEvent;

/**
 * The counts behind {@code GET /metrics}: fed by the {@link Events} it subscribes to, and by the parts that refuse
 * before any message exists (AUTH failures, refused connections, signing failures). Labels take only values from a
 * bounded set (outcome, class, the route's configured hop, TLS version, DKIM key), never a relay host or an address.
 */
@Singleton
public class DeliveryMetrics implements EventListener {
    /** Seconds from receipt to delivery: a first attempt takes well under a second, a deferred one hours. */
    static final double[] DELAY_BUCKETS = {0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 14400, 86400};
    private static final String NONE = "none";

    private final Counters received = new Counters("sendonly_messages_received_total", "Messages accepted, by SMTP or from the maildrop.");
    private final Counters signed = new Counters("sendonly_messages_signed_total", "DKIM signatures made, per key (domain/selector).", "key");
    private final Counters deliveries = new Counters("sendonly_deliveries_total",
        "Recipients' final or interim outcomes: delivered, deferred, bounced, expired, suppressed; per bounce class and route.",
        "outcome", "class", "route");
    private final Histogram delay = new Histogram("sendonly_delivery_seconds", "Seconds from receipt to delivery, per delivered recipient.",
        DELAY_BUCKETS);
    private final Counters tls = new Counters("sendonly_deliveries_tls_total", "Delivered recipients, per TLS version or none.", "tls");
    private final Counters signingFailures = new Counters("sendonly_signing_failures_total",
        "Messages that were to be DKIM-signed and failed (not sent).");
    private final Counters authFailures = new Counters("sendonly_auth_failures_total", "Failed SMTP AUTH attempts.");
    private final Counters refused = new Counters("sendonly_connections_refused_total", "SMTP connections refused, per reason.", "reason");

    @Inject
    public DeliveryMetrics(Events events) {
        events.subscribe(this);
    }

    @Override
    public void on(MessageEvent event) {
        switch (event.type()) {
            case RECEIVED -> received.increment();
            case SIGNED -> {
                for (String key : detail(event, "keys", "").split(",")) {
                    if (!key.isBlank()) {
                        signed.increment(key.trim());
                    }
                }
            }
            case DELIVERED -> {
                outcome(event);
                Optional.ofNullable(event.details().get("tls")).filter(version -> !version.isBlank()).ifPresent(tls::increment);
                seconds(event.details().get("delay"));
            }
            case DEFERRED, BOUNCED, EXPIRED, SUPPRESSED -> outcome(event);
            default -> {
                // queued, attempt, reported and unaligned are the event log's and the trace's, not counted
            }
        }
    }

    private void outcome(MessageEvent event) {
        deliveries.increment(event.type().name().toLowerCase(Locale.ROOT),
            event.bounceClass().map(BounceClass::name).map(name -> name.toLowerCase(Locale.ROOT)).orElse(NONE),
            detail(event, "route", NONE));
    }

    /** An unparsable delay is left out of the histogram rather than failing the event. */
    private void seconds(String value) {
        if (value == null) {
            return;
        }
        try {
            delay.observe(Double.parseDouble(value));
        } catch (NumberFormatException e) {
            // the delivered count still has it
        }
    }

    private static String detail(MessageEvent event, String key, String absent) {
        Map<String, String> details = event.details();
        String value = details.get(key);
        return value == null || value.isBlank() ? absent : value;
    }

    public void signingFailed() {
        signingFailures.increment();
    }

    public void authFailed() {
        authFailures.increment();
    }

    /** @param reason a fixed word of the refusing part (limit, rate), never the client's address */
    public void connectionRefused(String reason) {
        refused.increment(reason);
    }

    public void writeTo(PrometheusText page) {
        received.writeTo(page);
        signed.writeTo(page);
        deliveries.writeTo(page);
        delay.writeTo(page);
        tls.writeTo(page);
        signingFailures.writeTo(page);
        authFailures.writeTo(page);
        refused.writeTo(page);
    }
}
