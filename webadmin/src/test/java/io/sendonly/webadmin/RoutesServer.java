package io.sendonly.webadmin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.apache.james.webadmin.Routes;

import spark.Service;

/** One route class served by Spark alone on a loopback port of its own, and a client that speaks JSON to it. */
final class RoutesServer implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Service service;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private RoutesServer(Service service) {
        this.service = service;
    }

    static RoutesServer start(Routes routes) {
        Service service = Service.ignite().ipAddress("127.0.0.1").port(0);
        routes.define(service);
        service.awaitInitialization();
        return new RoutesServer(service);
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path, HttpRequest.BodyPublishers.noBody());
    }

    HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send("DELETE", path, HttpRequest.BodyPublishers.noBody());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send("POST", path, HttpRequest.BodyPublishers.ofString(json));
    }

    HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
        return send("PUT", path, HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpResponse<String> send(String method, String path, HttpRequest.BodyPublisher body)
        throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.port() + path))
            .timeout(TIMEOUT).header("Content-Type", "application/json").method(method, body).build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        service.stop();
        service.awaitStop();
    }
}
