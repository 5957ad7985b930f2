package io.sendonly.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The server's webadmin API, with the bearer token. Each refusal becomes a {@link CliException} with its sysexits
 * code and the server's message: 400 and 409 (refused input) 65, 404 (no such id, user, key...) 67, 401 and 403
 * (credential refused) 77, 5xx 75, no connection 69.
 */
final class Webadmin {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** A long flush or a DNS check takes a while; a server that hangs does not hold the operator forever. */
    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final HttpClient client;

    Webadmin(Settings settings) throws CliException {
        this.settings = settings;
        HttpClient.Builder client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT);
        if (settings.keystore().isPresent()) {
            client.sslContext(PinnedTls.trusting(settings.keystore().get(), settings.keystorePassword()));
        }
        this.client = client.build();
    }

    JsonNode getJson(String path) throws CliException {
        return parse(send("GET", path, Optional.empty()));
    }

    byte[] get(String path) throws CliException {
        return send("GET", path, Optional.empty());
    }

    JsonNode post(String path, Object body) throws CliException {
        return parse(send("POST", path, Optional.of(body)));
    }

    void put(String path, Object body) throws CliException {
        send("PUT", path, Optional.of(body));
    }

    void patch(String path, Object body) throws CliException {
        send("PATCH", path, Optional.of(body));
    }

    void delete(String path) throws CliException {
        send("DELETE", path, Optional.empty());
    }

    private byte[] send(String method, String path, Optional<Object> body) throws CliException {
        URI uri = settings.base().resolve(path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
            .header("Authorization", "Bearer " + settings.token());
        if (body.isPresent()) {
            request.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(serialize(body.get()), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new CliException(CliException.EX_UNAVAILABLE, "cannot connect to webadmin at " + settings.base()
                + " (" + e.getClass().getSimpleName() + "): is james-sendonly running?");
        } catch (HttpTimeoutException e) {
            throw new CliException(CliException.EX_TEMPFAIL, method + " " + uri.getPath() + ": no answer in " + REQUEST_TIMEOUT.toMinutes() + " minutes");
        } catch (IOException e) {
            throw new CliException(CliException.EX_TEMPFAIL, method + " " + uri.getPath() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.EX_TEMPFAIL, "interrupted");
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return response.body();
        }
        throw new CliException(exitCode(status), reason(response.body()).orElse(method + " " + uri.getPath() + ": HTTP " + status));
    }

    /** A value in a URL path, e.g. a user name or key name; {@code @} and {@code !} stay as they are. */
    static String segment(String value) {
        return query(value).replace("+", "%20").replace("%40", "@").replace("%21", "!");
    }

    /** A value in a URL query string. */
    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static int exitCode(int status) {
        return switch (status) {
            case 400, 409 -> CliException.EX_DATAERR;
            case 404 -> CliException.EX_NOUSER;
            case 401, 403 -> CliException.EX_NOPERM;
            default -> status >= 500 ? CliException.EX_TEMPFAIL : CliException.EX_SOFTWARE;
        };
    }

    /** The message of James's JSON error answer ({@code statusCode, type, message, details}), with its details. */
    static Optional<String> reason(byte[] body) {
        try {
            JsonNode error = JSON.readTree(body);
            if (error == null || !error.path("message").isTextual()) {
                return Optional.empty();
            }
            String details = error.path("details").asText("");
            return Optional.of(error.get("message").asText() + (details.isEmpty() ? "" : ": " + details));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String serialize(Object body) throws CliException {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new CliException(CliException.EX_SOFTWARE, "cannot write the request: " + e.getMessage());
        }
    }

    private static JsonNode parse(byte[] body) throws CliException {
        try {
            JsonNode node = JSON.readTree(body);
            return node == null ? JSON.missingNode() : node;
        } catch (IOException e) {
            throw new CliException(CliException.EX_SOFTWARE, "webadmin answered what is not JSON: " + e.getMessage());
        }
    }
}
