package io.sendonly.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A plain HTTP client on the test server's webadmin port, sending the operator token when it has one. */
public final class WebAdmin {
    private static final int CONNECT_ATTEMPTS = 3;

    private final HttpClient client = HttpClient.newHttpClient();
    private final int port;
    private final Optional<String> token;

    private WebAdmin(int port, Optional<String> token) {
        this.port = port;
        this.token = token;
    }

    /** As the operator: with the token the server made in {@code var/webadmin/token} of its working directory. */
    public static WebAdmin operator(int port, Path workingDirectory) {
        try {
            return new WebAdmin(port, Optional.of(Files.readString(workingDirectory.resolve("var/webadmin/token")).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As anyone else on the host: no token. */
    public static WebAdmin anonymous(int port) {
        return new WebAdmin(port, Optional.empty());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    public HttpResponse<String> put(String path, String json) throws IOException, InterruptedException {
        return send(request(path)
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE().build());
    }

    public HttpResponse<String> patch(String path) throws IOException, InterruptedException {
        return send(request(path).method("PATCH", HttpRequest.BodyPublishers.noBody()).build());
    }

    public HttpResponse<String> patch(String path, String json) throws IOException, InterruptedException {
        return send(request(path).method("PATCH", HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json").build());
    }

    /** A request to {@code path} with the token, for headers of a test's own. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path));
        token.ifPresent(value -> builder.header("Authorization", "Bearer " + value));
        return builder;
    }

    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return send(request.build());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * Sends again when the connection could not be made (nothing was sent, so even a POST is safe to repeat): under
     * many parallel requests the JDK client's connect can end in a ClosedChannelException (seen in SharedConfIT).
     */
    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (ConnectException e) {
                if (attempt == CONNECT_ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(100L * attempt);
            }
        }
    }
}
