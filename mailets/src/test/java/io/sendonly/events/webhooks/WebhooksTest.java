package io.sendonly.events.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import io.sendonly.events.EventType;
import io.sendonly.events.MessageEvent;
import io.sendonly.server.testing.TestCa;

class WebhooksTest {
    private static final Webhook.Secret SECRET = new Webhook.Secret("0123456789abcdef".getBytes(StandardCharsets.UTF_8));
    private static final Backoff FAST = new Backoff(Duration.ofMillis(100), Duration.ofMillis(400));

    @TempDir
    Path spools;

    private final AtomicInteger received = new AtomicInteger();

    @Test
    void anHttpsReceiverWithAnUntrustedCertificateShouldNotGetTheEvent() throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(TestCa.create("Unknown CA").serverContext("127.0.0.1")));
        MessageEvent event = delivered();

        publish(server, "https", event, Duration.ofMillis(1500));

        assertThat(received).hasValue(0);
        try (WebhookSpool spool = WebhookSpool.open(spools.resolve("hook"))) {
            assertThat(spool.pending(10)).extracting(WebhookSpool.Entry::json).singleElement().asString().contains(event.id());
        }
    }

    @Test
    void anHttpReceiverShouldGetTheEventAndEmptyTheSpool() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);

        publish(server, "http", delivered(), Duration.ZERO);

        assertThat(received).hasValue(1);
        try (WebhookSpool spool = WebhookSpool.open(spools.resolve("hook"))) {
            assertThat(spool.pending(10)).isEmpty();
        }
    }

    @Test
    void eventsThatCannotBeSpooledShouldWaitInMemoryUntilTheSpoolCanBeWritten() throws Exception {
        HttpServer server = receiver(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        try (Webhooks webhooks = Webhooks.start(List.of(webhook("http", server)), spools, FAST, Clock.systemUTC())) {
            Files.delete(spools.resolve("hook"));
            Files.writeString(spools.resolve("hook"), "not a folder");

            webhooks.on(delivered());
            Thread.sleep(1500);
            assertThat(received).hasValue(0);
            Files.delete(spools.resolve("hook"));
            Files.createDirectory(spools.resolve("hook"));

            await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 1);
        } finally {
            server.stop(0);
        }
    }

    /** Publishes {@code event} to a webhook on {@code server}; stops once it arrived, or after {@code atLeast}. */
    private void publish(HttpServer server, String scheme, MessageEvent event, Duration atLeast) throws Exception {
        receiver(server);
        try (Webhooks webhooks = Webhooks.start(List.of(webhook(scheme, server)), spools, FAST, Clock.systemUTC())) {
            webhooks.on(event);
            Thread.sleep(atLeast.toMillis());
            await().atMost(Duration.ofSeconds(10)).until(() -> received.get() > 0 || !atLeast.isZero());
        } finally {
            server.stop(0);
        }
    }

    private HttpServer receiver(HttpServer server) {
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            received.incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static Webhook webhook(String scheme, HttpServer server) {
        return new Webhook("hook", URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + "/"), SECRET, Set.of(),
            Duration.ofSeconds(2));
    }

    private static MessageEvent delivered() {
        return MessageEvent.of(Instant.now(), EventType.DELIVERED, "m@example.com", "Mail1", "r@example.net", "2.0.0", Map.of("reply", "250 ok"));
    }
}
