package io.sendonly.events.webhooks;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.sendonly.events.log.EventJson;
import io.sendonly.events.EventListener;
import io.sendonly.events.MessageEvent;

/**
 * Every configured webhook, as one {@link EventListener}: an event is serialised once ({@link EventJson}) and handed
 * to the {@link WebhookDelivery} of each webhook that wants its type, which spools it under
 * {@code SPOOL_ROOT/NAME/} and POSTs it. Delivery is at least once: an event sent but not yet acknowledged when the
 * server stops is sent again after it starts.
 */
public final class Webhooks implements EventListener, AutoCloseable {
    private final List<WebhookDelivery> deliveries;

    private Webhooks(List<WebhookDelivery> deliveries) {
        this.deliveries = deliveries;
    }

    /** Opens each webhook's spool under {@code spoolRoot} and starts sending what it holds. */
    public static Webhooks start(List<Webhook> webhooks, Path spoolRoot, Backoff backoff, Clock clock) throws IOException {
        List<WebhookDelivery> deliveries = new ArrayList<>();
        for (Webhook webhook : webhooks) {
            HttpClient client = HttpClient.newBuilder()
                .connectTimeout(webhook.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
            deliveries.add(new WebhookDelivery(webhook, WebhookSpool.open(spoolRoot.resolve(webhook.name())), client, backoff, clock));
        }
        deliveries.forEach(WebhookDelivery::start);
        return new Webhooks(List.copyOf(deliveries));
    }

    @Override
    public void on(MessageEvent event) {
        String json = null;
        for (WebhookDelivery delivery : deliveries) {
            if (delivery.webhook().wants(event.type())) {
                json = json == null ? EventJson.line(event) : json;
                delivery.offer(json);
            }
        }
    }

    /** Spools every event received so far and stops sending. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (WebhookDelivery delivery : deliveries) {
            delivery.stop();
        }
    }

    @Override
    public String toString() {
        return "Webhooks" + deliveries.stream().map(delivery -> delivery.webhook().name()).toList();
    }
}
