package io.sendonly.webadmin;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import io.sendonly.config.EditableTable;
import io.sendonly.config.TableEditor;
import io.sendonly.tls.SecurityLevel;
import io.sendonly.tls.TlsPolicyTable;
import io.sendonly.tls.TlsPolicyTable.Entry;
import spark.Request;
import spark.Response;
import spark.Service;

/**
 * The TLS policy table RouteDelivery reads ({@code <tlsPolicy>}, default {@code conf/tls_policy}; delivery reads it
 * again when it changes), one entry per destination:
 * <ul>
 *   <li>{@code GET /sendonly/tls-policy}: the entries in file order, each {@code {"key","level","match":[...],"tafile"}};</li>
 *   <li>{@code GET /sendonly/tls-policy/KEY}: one entry; 404 when the table has none for that key;</li>
 *   <li>{@code PUT /sendonly/tls-policy/KEY} with {@code {"level":"secure","match":["nexthop"],"tafile":"ca.pem"}}
 *       ({@code match} and {@code tafile} optional): the entry replaced in place (204) or added (201); 400 naming the
 *       field when the table would not load with it (a bad level, a match name, an unreadable tafile);</li>
 *   <li>{@code DELETE /sendonly/tls-policy/KEY}: 204; 404 when there is none.</li>
 * </ul>
 * KEY is a domain, {@code .domain} or {@code [host]:port}, URL-encoded. Changes go through the table's own editor
 * ({@link TlsPolicyTable#open}: checked as at start-up, written atomically, comments kept), one at a time.
 */
public class TlsPolicyRoutes implements Routes {
    public static final String BASE_PATH = "/sendonly/tls-policy";
    private static final String KEY = ":key";
    private static final Logger LOGGER = LoggerFactory.getLogger(TlsPolicyRoutes.class);

    public record EntryDto(String key, String level, List<String> match, Optional<String> tafile) {
        static EntryDto of(Entry entry) {
            return new EntryDto(entry.key(), entry.level().word(), entry.match(), entry.tafile());
        }
    }

    private final TableEditor<Entry> editor;
    private final JsonTransformer json = new JsonTransformer();

    @Inject
    public TlsPolicyRoutes(ConfiguredFiles files) {
        this.editor = TlsPolicyTable.open(files.tlsPolicy());
    }

    @Override
    public String getBasePath() {
        return BASE_PATH;
    }

    @Override
    public void define(Service service) {
        service.get(BASE_PATH, (request, response) -> Answers.current(editor).entries().stream().map(EntryDto::of).toList(), json);
        service.get(BASE_PATH + "/" + KEY, this::get, json);
        service.put(BASE_PATH + "/" + KEY, this::put);
        service.delete(BASE_PATH + "/" + KEY, this::delete);
    }

    private EntryDto get(Request request, Response response) throws IOException {
        String key = key(request);
        return Answers.current(editor).entries().stream().filter(entry -> sameKey(entry, key)).findFirst().map(EntryDto::of)
            .orElseThrow(() -> Answers.notFound("key: no TLS policy for " + key));
    }

    private synchronized String put(Request request, Response response) throws IOException {
        String key = key(request);
        JsonNode body = Answers.jsonObject(request);
        SecurityLevel level = Answers.checked(() -> SecurityLevel.parse(Answers.text(body, "level")));
        List<String> match = new ArrayList<>();
        JsonNode names = body.path("match");
        if (!names.isMissingNode() && !names.isNull()) {
            if (!names.isArray()) {
                throw Answers.badRequest("match: expected an array of names (hostname, nexthop, dot-nexthop, a host or .domain)");
            }
            names.forEach(name -> match.add(Answers.string(name, "match")));
        }
        Optional<String> tafile = body.path("tafile").isMissingNode() || body.path("tafile").isNull() ? Optional.empty()
            : Optional.of(Answers.text(body, "tafile"));
        Entry entry = Answers.checked(() -> new Entry(key, level, match, tafile));
        EditableTable<Entry> table = Answers.current(editor);
        boolean existed = table.entries().stream().anyMatch(line -> sameKey(line, key));
        Answers.valid(() -> editor.write(table.replace(line -> sameKey(line, key), List.of(entry))));
        LOGGER.info("webadmin: {} {} TLS policy {}", Answers.who(request), existed ? "replaced" : "added", TlsPolicyTable.FORMAT.format(entry));
        response.status(existed ? HttpStatus.NO_CONTENT_204 : HttpStatus.CREATED_201);
        return "";
    }

    private synchronized String delete(Request request, Response response) throws IOException {
        String key = key(request);
        EditableTable<Entry> table = Answers.current(editor);
        if (table.entries().stream().noneMatch(entry -> sameKey(entry, key))) {
            throw Answers.notFound("key: no TLS policy for " + key);
        }
        Answers.valid(() -> editor.write(table.removeIf(entry -> sameKey(entry, key))));
        LOGGER.info("webadmin: {} removed TLS policy {}", Answers.who(request), key);
        response.status(HttpStatus.NO_CONTENT_204);
        return "";
    }

    /** The key of the path, as the table compares keys; 400 naming {@code key} when it is none. */
    private static String key(Request request) {
        String key = URLDecoder.decode(request.params(KEY), StandardCharsets.UTF_8);
        return Answers.checked(() -> TlsPolicyTable.normalizedKey(key));
    }

    private static boolean sameKey(Entry entry, String normalizedKey) {
        return TlsPolicyTable.normalizedKey(entry.key()).equals(normalizedKey);
    }
}
