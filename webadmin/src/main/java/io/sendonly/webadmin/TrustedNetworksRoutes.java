package io.sendonly.webadmin;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.common.net.InetAddresses;

import io.sendonly.check.TrustedNetworks;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The clients that may relay without AUTH, kept in {@code conf/TrustedHosts} (the file the server boots from;
 * the SMTP hook and the pipeline re-read it when it changes, so a change applies without restart):
 * <ul>
 *   <li>{@code GET /sendonly/trustedNetworks}: the entries, in file order;</li>
 *   <li>{@code POST /sendonly/trustedNetworks} with {@code {"network":"172.18.0.0/16"}}: 201; 400 naming the field
 *       for anything but an IP address or CIDR block; 409 when already listed;</li>
 *   <li>{@code DELETE /sendonly/trustedNetworks?network=172.18.0.0/16}: 204; 404 when not listed.</li>
 * </ul>
 * Each change rewrites the file atomically (temporary file, then rename), comments kept; changes are serialized.
 */
public class TrustedNetworksRoutes implements Routes {
    public static final String BASE_PATH = "/sendonly/trustedNetworks";
    static final String TRUSTED_HOSTS_FILE = "file://conf/TrustedHosts";
    private static final String NETWORK = "network";
    private static final Logger LOGGER = LoggerFactory.getLogger(TrustedNetworksRoutes.class);

    private final FileSystem fileSystem;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public TrustedNetworksRoutes(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH, (request, response) -> entries(read()), json);
        service.post(BASE_PATH, this::add);
        service.delete(BASE_PATH, this::remove);
    }

    private synchronized String add(Request request, Response response) throws IOException {
        String network = network(bodyField(request));
        List<String> lines = read();
        if (entries(lines).contains(network)) {
            throw Answers.conflict(NETWORK + ": " + network + " is already trusted");
        }
        lines.add(network);
        write(lines);
        LOGGER.info("webadmin: {} added trusted network {}", Answers.who(request), network);
        response.status(HttpStatus.CREATED_201);
        return "";
    }

    private synchronized String remove(Request request, Response response) throws IOException {
        String network = network(Optional.ofNullable(request.queryParams(NETWORK)).orElse(""));
        List<String> lines = read();
        if (!lines.removeIf(line -> TableFile.content(line).equals(network))) {
            throw Answers.notFound(NETWORK + ": " + network + " is not in the trusted networks");
        }
        write(lines);
        LOGGER.info("webadmin: {} removed trusted network {}", Answers.who(request), network);
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    private static String bodyField(Request request) {
        JsonNode node = Answers.jsonObject(request);
        if (!node.path(NETWORK).isTextual()) {
            throw Answers.badRequest(NETWORK + ": expected {\"network\": \"IP or CIDR\"}");
        }
        return node.get(NETWORK).asText();
    }

    /** An IP address or CIDR block, checked as TrustedHosts reads it; host names are for the file, not the API. */
    private static String network(String value) {
        String trimmed = value.trim();
        String address = trimmed.contains("/") ? trimmed.substring(0, trimmed.indexOf('/')) : trimmed;
        try {
            if (!InetAddresses.isInetAddress(address)) {
                throw new IllegalArgumentException("not an IP address");
            }
            TrustedNetworks.parse(List.of(trimmed), NETWORK);
            return trimmed;
        } catch (IllegalArgumentException e) {
            throw Answers.badRequest(
                NETWORK + ": '" + value + "' is not an IP address or CIDR block");
        }
    }

    private List<String> read() throws IOException {
        return TableFile.read(file());
    }

    private void write(List<String> lines) throws IOException {
        TableFile.write(file(), lines);
    }

    private Path file() throws FileNotFoundException {
        return fileSystem.getFile(TRUSTED_HOSTS_FILE).toPath();
    }

    private static List<String> entries(List<String> lines) {
        return lines.stream().map(TableFile::content).filter(line -> !line.isEmpty()).toList();
    }
}
