package io.sendonly.server.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * The MTA-STS policy host of one or more domains, for tests (RFC 8461 section 3.3): HTTPS on a loopback address, with
 * one certificate from a {@link TestCa} naming {@code mta-sts.DOMAIN} for each domain (the client trusts that
 * authority's PEM file), answering {@code GET /.well-known/mta-sts.txt} by the Host header with the domain's policy,
 * or with whatever answer a test sets: a 404, a redirect, garbage. {@link #present} restarts it on the same address
 * and port with another certificate (another name, another authority).
 */
public final class StsPolicyServer implements AutoCloseable {
    public static final String PATH = "/.well-known/mta-sts.txt";
    private static final Answer NOT_FOUND = new Answer(404, "text/plain", "not found\n");

    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpsServer server;
    private boolean closed;

    private record Answer(int status, String contentType, String body) {
    }

    private StsPolicyServer() {
    }

    /**
     * @param port 443 as senders fetch policies (needs root); 0 for any, with a fetcher told the port
     * @param domains the policy domains whose host this is
     */
    public static StsPolicyServer start(TestCa ca, InetAddress address, int port, String... domains) throws Exception {
        StsPolicyServer policyServer = new StsPolicyServer();
        String[] hosts = Arrays.stream(domains).map(StsPolicyServer::host).toArray(String[]::new);
        policyServer.listen(new InetSocketAddress(address, port), ca.issue(hosts).serverContext());
        return policyServer;
    }

    /** The policy host of {@code domain}. */
    public static String host(String domain) {
        return "mta-sts." + domain;
    }

    public synchronized int port() {
        return server.getAddress().getPort();
    }

    /** Serves {@code policy} for {@code domain} as {@code text/plain}, status 200. */
    public void serve(String domain, String policy) {
        answer(domain, 200, "text/plain", policy);
    }

    /** Answers every request for {@code domain} thus, e.g. {@code 404}, or {@code 200} with {@code text/html}. */
    public void answer(String domain, int status, String contentType, String body) {
        answers.put(host(domain), new Answer(status, contentType, body));
    }

    /** Stops, whatever the state: a test may stop the policy host before its fixture does. */
    @Override
    public synchronized void close() throws InterruptedException {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }

    /** Serves with this context's certificate from now on. */
    public synchronized void present(SSLContext context) throws IOException {
        InetSocketAddress address = server.getAddress();
        server.stop(0);
        listen(address, context);
    }

    /** Requests answered so far. */
    public int requests() {
        return requests.get();
    }

    private synchronized void listen(InetSocketAddress address, SSLContext context) throws IOException {
        server = HttpsServer.create(address, 16);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            String host = String.valueOf(exchange.getRequestHeaders().getFirst("Host")).replaceFirst(":[0-9]+$", "")
                .toLowerCase(Locale.ROOT);
            Answer answer = PATH.equals(exchange.getRequestURI().getPath()) ? answers.getOrDefault(host, NOT_FOUND) : NOT_FOUND;
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", answer.contentType());
            if (answer.status() / 100 == 3) {
                exchange.getResponseHeaders().set("Location", "https://elsewhere.invalid" + PATH);
            }
            exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }
}
