package io.sendonly.webadmin;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.ErrorResponder;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.sendonly.route.NextHop;
import io.sendonly.route.RouteTable;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The route table of {@code conf/routes}, which delivery reads again when it changes:
 * <ul>
 *   <li>{@code GET /sendonly/routes}: in precedence order (recipient domains, sender domains, default), each route
 *       with its smart hosts in failover order. Passwords are write-only: a hop shows its user, never its password;</li>
 *   <li>{@code POST /sendonly/routes} {@code {"match":"recipient|sender|default","domain":"example.org","hop":"..."}}:
 *       the hop (a routes-file HOP: {@code direct}, {@code [host]:port} or a nullmailer line) goes after the key's
 *       existing hops, i.e. last in failover order; 400 naming the field, without the password;</li>
 *   <li>{@code PUT /sendonly/routes} {@code {"match","domain","hops":["...", ...]}}: the key's hops replaced in place
 *       (201 when the key had none, 204 otherwise); passwords are write-only, so each hop is given whole;</li>
 *   <li>{@code DELETE /sendonly/routes?match=recipient&domain=example.org}: every hop of that key; 404 if none.</li>
 * </ul>
 * Changes rewrite the file atomically, one at a time, and are logged without passwords.
 */
public class RouteTableRoutes implements Routes {
    public static final String BASE_PATH = "/sendonly/routes";
    static final String ROUTES_FILE = "file://conf/routes";
    private static final Pattern DOMAIN = Pattern.compile("\\.?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");
    private static final Logger LOGGER = LoggerFactory.getLogger(RouteTableRoutes.class);

    public record HopDto(String host, int port, boolean mxLookup, String tls, boolean verifyCertificate,
                         Optional<String> caFile, Optional<String> user, Optional<String> authMethod) {
        static HopDto of(NextHop hop) {
            // Opportunistic and plain connections never check a certificate, whatever the hop says.
            boolean verifies = hop.verifyCertificate() && hop.tls() != NextHop.TlsMode.OPPORTUNISTIC && hop.tls() != NextHop.TlsMode.NONE;
            return new HopDto(hop.host(), hop.port(), hop.mxLookup(), hop.tls().name(), verifies, hop.caFile(),
                hop.credentials().map(NextHop.Credentials::user), hop.credentials().map(credentials -> credentials.method().name()));
        }
    }

    public record RouteDto(String match, Optional<String> domain, boolean direct, List<HopDto> smartHosts) {
        static RouteDto of(RouteTable.Entry entry) {
            return new RouteDto(entry.match().name().toLowerCase(), entry.domain(), entry.route().direct(),
                entry.route().smartHosts().stream().map(HopDto::of).toList());
        }
    }

    private final FileSystem fileSystem;
    private final JsonTransformer json;

    @Inject
    public RouteTableRoutes(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
        this.json = new JsonTransformer();
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH, this::list, json);
        service.post(BASE_PATH, this::add);
        service.put(BASE_PATH, this::replace);
        service.delete(BASE_PATH, this::remove);
    }

    private List<RouteDto> list(Request request, Response response) {
        return table().entries().stream().map(RouteDto::of).toList();
    }

    private synchronized String add(Request request, Response response) throws IOException {
        JsonNode body = Answers.jsonObject(request);
        String key = key(body.path("match").asText(""), body.path("domain").asText(""));
        String hop = body.path("hop").asText("").trim();
        if (hop.isEmpty() || hop.contains("\n")) {
            throw Answers.badRequest("hop: expected direct, [host]:port or 'host smtp [options]'");
        }
        List<String> lines = TableFile.read(file());
        lines.add(key + " " + hop);
        checked(lines);
        TableFile.write(file(), lines);
        LOGGER.info("webadmin: {} added route {} {}", Answers.who(request), key, withoutPassword(hop));
        response.status(HttpStatus.CREATED_201);
        return "";
    }

    /**
     * {@code {"match","domain","hops":["...", ...]}}: the route's lines replaced, in place, by one line per hop (smart
     * hosts in failover order); created when absent. Passwords are write-only, so every hop is given whole.
     */
    private synchronized String replace(Request request, Response response) throws IOException {
        JsonNode body = Answers.jsonObject(request);
        String key = key(body.path("match").asText(""), body.path("domain").asText(""));
        JsonNode hops = body.path("hops");
        if (!hops.isArray() || hops.isEmpty()) {
            throw Answers.badRequest("hops: expected a non-empty array of direct, [host]:port or 'host smtp [options]'");
        }
        List<String> replacement = new ArrayList<>();
        for (JsonNode hop : hops) {
            String value = hop.asText("").trim();
            if (!hop.isTextual() || value.isEmpty() || value.contains("\n")) {
                throw Answers.badRequest("hops: expected direct, [host]:port or 'host smtp [options]', got " + withoutPassword(hop.toString()));
            }
            replacement.add(key + " " + value);
        }
        List<String> lines = TableFile.read(file());
        int first = -1;
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (isRouteLine(lines.get(i), key)) {
                lines.remove(i);
                first = i;
            }
        }
        lines.addAll(first < 0 ? lines.size() : first, replacement);
        checked(lines);
        TableFile.write(file(), lines);
        LOGGER.info("webadmin: {} {} route {}: {}", Answers.who(request), first < 0 ? "added" : "replaced", key,
            replacement.stream().map(RouteTableRoutes::withoutPassword).toList());
        response.status(first < 0 ? HttpStatus.CREATED_201 : HttpStatus.NO_CONTENT_204);
        return "";
    }

    private static void checked(List<String> lines) {
        try {
            RouteTable.parse(lines, "conf/routes");
        } catch (IllegalArgumentException e) {
            String message = withoutPassword(e.getMessage());
            throw Answers.badRequest("hop: " + message.substring(message.indexOf(": ") + 2));
        }
    }

    private static boolean isRouteLine(String line, String key) {
        return (TableFile.content(line) + " ").startsWith(key + " ");
    }

    private static String withoutPassword(String text) {
        return text.replaceAll("--pass=[^\\s\"]+", "--pass=****");
    }

    private synchronized String remove(Request request, Response response) throws IOException {
        String key = key(Optional.ofNullable(request.queryParams("match")).orElse(""),
            Optional.ofNullable(request.queryParams("domain")).orElse(""));
        List<String> lines = TableFile.read(file());
        if (!lines.removeIf(line -> isRouteLine(line, key))) {
            throw Answers.notFound("domain: no " + key + " route");
        }
        TableFile.write(file(), lines);
        LOGGER.info("webadmin: {} removed route {}", Answers.who(request), key);
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    /** The start of a routes line: {@code recipient DOMAIN}, {@code sender DOMAIN} or {@code default}. */
    private static String key(String match, String domain) {
        String normalized = domain.trim().toLowerCase(Locale.ROOT);
        return switch (match) {
            case "default" -> "default";
            case "recipient", "sender" -> {
                if (!DOMAIN.matcher(normalized).matches()) {
                    throw Answers.badRequest("domain: '" + domain + "': expected example.org, or .example.org for its subdomains");
                }
                yield match + " " + normalized;
            }
            default -> throw Answers.badRequest("match: '" + match + "': expected recipient, sender or default");
        };
    }

    private Path file() throws FileNotFoundException {
        return fileSystem.getFile(ROUTES_FILE).toPath();
    }

    private RouteTable table() {
        try (InputStream in = fileSystem.getResource(ROUTES_FILE)) {
            return RouteTable.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList(), "conf/routes");
        } catch (FileNotFoundException e) {
            return RouteTable.parse(List.of(), "conf/routes");
        } catch (IOException | IllegalArgumentException e) {
            throw ErrorResponder.builder()
                .statusCode(HttpStatus.INTERNAL_SERVER_ERROR_500)
                .type(ErrorResponder.ErrorType.SERVER_ERROR)
                .message("cannot read the route table: " + e.getMessage())
                .haltError();
        }
    }
}
