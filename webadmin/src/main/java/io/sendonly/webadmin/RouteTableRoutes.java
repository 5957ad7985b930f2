package io.sendonly.webadmin;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.sendonly.config.Domains;
import io.sendonly.config.EditableTable;
import io.sendonly.config.TableEditor;
import io.sendonly.config.TableFile;
import io.sendonly.route.NextHop;
import io.sendonly.route.NextHops;
import io.sendonly.route.RouteTable;
import io.sendonly.route.RouteTableEditor;
import io.sendonly.route.RouteTableEditor.Line;
import io.sendonly.tls.SecurityLevel;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The route table RouteDelivery reads ({@code <routes>} in {@code mailetcontainer.xml}, default {@code conf/routes}),
 * again when it changes:
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
 * Changes go through {@link RouteTableEditor} (checked as at start-up, written atomically, mode 0600), one at a time,
 * and are logged without passwords.
 */
public class RouteTableRoutes implements Routes {
    public static final String BASE_PATH = "/sendonly/routes";
    private static final Logger LOGGER = LoggerFactory.getLogger(RouteTableRoutes.class);

    /**
     * A hop as clients read it: {@code level} is its TLS security level (Postfix's words); {@code tls} and
     * {@code verifyCertificate} say what that level means on the wire (NONE, OPPORTUNISTIC, REQUIRED_STARTTLS or
     * IMPLICIT; whether a certificate is checked).
     */
    public record HopDto(String host, int port, boolean mxLookup, String tls, boolean verifyCertificate,
                         Optional<String> caFile, Optional<String> user, Optional<String> authMethod, String level) {
        static HopDto of(NextHop hop) {
            String tls = hop.wrapper() ? "IMPLICIT" : switch (hop.tls()) {
                case NONE -> "NONE";
                case MAY, DANE -> "OPPORTUNISTIC";
                case ENCRYPT, VERIFY, SECURE -> "REQUIRED_STARTTLS";
            };
            boolean verifies = hop.tls() == SecurityLevel.VERIFY || hop.tls() == SecurityLevel.SECURE;
            return new HopDto(hop.host(), hop.port(), hop.mxLookup(), tls, verifies, hop.caFile(),
                hop.credentials().map(NextHop.Credentials::user), hop.credentials().map(credentials -> credentials.method().name()),
                hop.tls().word());
        }
    }

    public record RouteDto(String match, Optional<String> domain, boolean direct, List<HopDto> smartHosts) {
        static RouteDto of(RouteTable.Entry entry) {
            return new RouteDto(entry.match().name().toLowerCase(), entry.domain(), entry.route().direct(),
                entry.route().smartHosts().stream().map(HopDto::of).toList());
        }
    }

    /** Which lines a change is about: {@code recipient DOMAIN}, {@code sender DOMAIN} or {@code default}. */
    private record Key(RouteTable.Match match, Optional<String> domain) {
        Line line(String hop) {
            return new Line(match, domain, hop);
        }

        boolean matches(Line line) {
            return line.hasKey(match, domain);
        }

        @Override
        public String toString() {
            return match.name().toLowerCase(Locale.ROOT) + domain.map(value -> " " + value).orElse("");
        }
    }

    private final TableEditor<Line> editor;
    private final JsonTransformer json;

    @Inject
    public RouteTableRoutes(ConfiguredFiles files) {
        this.editor = RouteTableEditor.open(files.routes());
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
        Key key = key(Answers.text(body, "match"), body.path("domain").asText(""));
        String hop = Answers.text(body, "hop");
        Answers.valid(() -> editor.write(Answers.current(editor).add(key.line(hop))));
        LOGGER.info("webadmin: {} added route {} {}", Answers.who(request), key, NextHops.redact(hop));
        response.status(HttpStatus.CREATED_201);
        return "";
    }

    /**
     * {@code {"match","domain","hops":["...", ...]}}: the route's lines replaced, in place, by one line per hop (smart
     * hosts in failover order); created when absent. Passwords are write-only, so every hop is given whole.
     */
    private synchronized String replace(Request request, Response response) throws IOException {
        JsonNode body = Answers.jsonObject(request);
        Key key = key(Answers.text(body, "match"), body.path("domain").asText(""));
        JsonNode hops = body.path("hops");
        if (!hops.isArray() || hops.isEmpty()) {
            throw Answers.badRequest("hops: expected a non-empty array of direct, [host]:port or 'host smtp [options]'");
        }
        List<Line> replacement = new ArrayList<>();
        for (JsonNode hop : hops) {
            replacement.add(key.line(Answers.string(hop, "hops")));
        }
        EditableTable<Line> table = Answers.current(editor);
        boolean existed = table.entries().stream().anyMatch(key::matches);
        Answers.valid(() -> editor.write(table.replace(key::matches, replacement)));
        LOGGER.info("webadmin: {} {} route {}: {}", Answers.who(request), existed ? "replaced" : "added", key,
            replacement.stream().map(line -> NextHops.redact(line.hop())).toList());
        response.status(existed ? HttpStatus.NO_CONTENT_204 : HttpStatus.CREATED_201);
        return "";
    }

    private synchronized String remove(Request request, Response response) throws IOException {
        Key key = key(Optional.ofNullable(request.queryParams("match")).orElse(""),
            Optional.ofNullable(request.queryParams("domain")).orElse(""));
        EditableTable<Line> table = Answers.current(editor);
        if (table.entries().stream().noneMatch(key::matches)) {
            throw Answers.notFound("domain: no " + key + " route");
        }
        Answers.valid(() -> editor.write(table.removeIf(key::matches)));
        LOGGER.info("webadmin: {} removed route {}", Answers.who(request), key);
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    /** @param domain as given: a line break or control character makes it no domain, rather than being trimmed away */
    private static Key key(String match, String domain) {
        return switch (match) {
            case "default" -> new Key(RouteTable.Match.DEFAULT, Optional.empty());
            case "recipient", "sender" -> new Key(RouteTable.Match.valueOf(match.toUpperCase(Locale.ROOT)),
                Optional.of(Answers.checked(() -> Domains.domainOrSubdomains("domain", domain))));
            default -> throw Answers.badRequest("match: '" + match + "': expected recipient, sender or default");
        };
    }

    private RouteTable table() {
        try {
            return RouteTable.parse(TableFile.read(editor.file()), editor.file().toString());
        } catch (IOException | IllegalArgumentException e) {
            throw Answers.serverError("cannot read the route table: " + e.getMessage());
        }
    }
}
