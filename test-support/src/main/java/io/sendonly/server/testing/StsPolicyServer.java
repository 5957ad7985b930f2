package io.sendonly.server.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A domain's MTA-STS policy host for tests (RFC 8461 section 3.3): HTTPS on a loopback address, with a certificate
 * for {@code mta-sts.DOMAIN} from a {@link TestCa} (the client trusts that authority's PEM file), answering
 * {@code GET /.well-known/mta-sts.txt} with the policy given, or with whatever answer a test sets: a 404, a redirect,
 * garbage. {@link #present} restarts it on the same address and port with another certificate (another name,
 * another authority).
 */
public final class StsPolicyServer implements AutoCloseable {
    public static final String PATH = "/.well-known/mta-sts.txt";

    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private HttpsServer server;
    private final AtomicReference<Answer> answer = new AtomicReference<>(new Answer(404, "text/plain", "no policy set\n"));
    private final AtomicInteger requests = new AtomicInteger();

    private record Answer(int status, String contentType, String body) {
    }

    private StsPolicyServer() {
    }

    /**
     * @param port 443 as senders fetch policies (needs root); 0 for any, with a fetcher told the port
     */
    public static StsPolicyServer start(TestCa ca, String domain, InetAddress address, int port) throws Exception {
        StsPolicyServer policyServer = new StsPolicyServer();
        policyServer.listen(new InetSocketAddress(address, port), ca.issue(host(domain)).serverContext());
        return policyServer;
    }

    private synchronized void listen(InetSocketAddress address, SSLContext context) throws IOException {
        server = HttpsServer.create(address, 16);
        server.setHttpsConfigurator(new HttpsConfigurator(context));
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The policy host of {@code domain}. */
    public static String host(String domain) {
        return "mta-sts." + domain;
    }

    public synchronized int port() {
        return server.getAddress().getPort();
    }

    /** Serves {@code policy} as {@code text/plain}, status 200. */
    public void serve(String policy) {
        answer(200, "text/plain", policy);
    }

    /** Answers every request thus, e.g. {@code 404}, or {@code 200} with {@code text/html}. */
    public void answer(int status, String contentType, String body) {
        answer.set(new Answer(status, contentType, body));
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

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            Answer current = PATH.equals(exchange.getRequestURI().getPath()) ? answer.get()
                : new Answer(404, "text/plain", "not found\n");
            byte[] body = current.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", current.contentType());
            if (current.status() / 100 == 3) {
                exchange.getResponseHeaders().set("Location", "https://elsewhere.invalid" + PATH);
            }
            exchange.sendResponseHeaders(current.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public synchronized void close() throws InterruptedException {
        server.stop(0);
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
