package io.sendonly.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A webhook receiver on a fixed loopback port that can be taken down and brought back: records each POST and answers
 * the status its {@code answer} gives for the request's number (1, 2, ...).
 */
public final class WebhookReceiver implements AutoCloseable {
    /** One request as received. */
    public record Request(Instant at, String eventId, String timestamp, String signature, String body) {
    }

    private final int port;
    private final List<Request> requests = new ArrayList<>();
    private final AtomicInteger count = new AtomicInteger();
    private volatile IntUnaryOperator answer = number -> 204;
    private HttpServer server;

    private WebhookReceiver(int port) {
        this.port = port;
    }

    /** A receiver on a free port, down until {@link #up()}. */
    public static WebhookReceiver down() throws IOException {
        return new WebhookReceiver(Distribution.freePort());
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/events";
    }

    public WebhookReceiver answering(IntUnaryOperator answer) {
        this.answer = answer;
        return this;
    }

    public synchronized WebhookReceiver up() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/events", this::receive);
        server.start();
        return this;
    }

    public synchronized List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Takes the receiver down; {@link #up()} brings it back on the same port. */
    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    private void receive(HttpExchange exchange) throws IOException {
        String body;
        try (InputStream in = exchange.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        synchronized (this) {
            requests.add(new Request(Instant.now(), exchange.getRequestHeaders().getFirst("X-Sendonly-Event-Id"),
                exchange.getRequestHeaders().getFirst("X-Sendonly-Timestamp"), exchange.getRequestHeaders().getFirst("X-Sendonly-Signature"),
                body));
        }
        exchange.sendResponseHeaders(answer.applyAsInt(count.incrementAndGet()), -1);
        exchange.close();
    }
}
