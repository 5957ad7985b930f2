package io.sendonly.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.WebAdmin;

/**
 * "No API call can leave a server that cannot start", as a property: seeded random sequences of valid and hostile
 * calls on every write endpoint (missing fields, control characters, Unicode, long values, wrong JSON types, a few
 * concurrent writers), each answer checked against a model of the tables; after each sequence the server restarts
 * and every table read back must equal the model. {@code -Dwebadmin.seed=N} replays one sequence.
 */
class WriteEndpointsPropertyTest {
    private static final int SEQUENCES = 20;
    private static final int CALLS_PER_SEQUENCE = 30;
    private static final List<String> HOSTILE = List.of("\r", "\n", "\t", "\0", "\u0085", "\u2028", "\u001b", "#", "\u200b");
    private static final List<String> DOMAINS = List.of("a.example", "b.example", ".c.example");
    private static final List<String> KEY_DOMAINS = List.of("example.com", "exämple.org");
    private static final List<String> PATTERNS = List.of("*@example.com", "*@*.example.org", "ops@example.com", "ü*@exämple.org",
        "*@" + "a".repeat(900) + ".example");
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(server -> server.editXml("dnsservice.xml", xml -> xml
        .set("/dnsservice/autodiscover", "false")
        .set("/dnsservice/servers", "")
        .set("/dnsservice/servers/server", "127.0.0.1")));

    /** What the tables hold, as the answers so far say. */
    private static final class Model {
        final List<String> trusted = new ArrayList<>();
        final Map<String, List<String>> recipientRoutes = new LinkedHashMap<>();
        final Map<String, List<String>> senderRoutes = new LinkedHashMap<>();
        final List<String> defaultRoute = new ArrayList<>();
        final List<String> keys = new ArrayList<>();
        final List<String> signing = new ArrayList<>();
        final Set<String> users = new HashSet<>();
        String defaultDomain;
        String adminAddress;

        List<String> hops(String match, String domain) {
            return switch (match) {
                case "recipient" -> recipientRoutes.computeIfAbsent(domain, unused -> new ArrayList<>());
                case "sender" -> senderRoutes.computeIfAbsent(domain, unused -> new ArrayList<>());
                default -> defaultRoute;
            };
        }

        void dropEmpty() {
            recipientRoutes.values().removeIf(List::isEmpty);
            senderRoutes.values().removeIf(List::isEmpty);
        }
    }

    private Model model;
    private Random random;
    private List<String> log;

    @Test
    void noSequenceOfCallsShouldLeaveAServerThatCannotStart() throws Exception {
        long base = Long.getLong("webadmin.seed", new Random().nextLong());
        int sequences = System.getProperty("webadmin.seed") == null ? SEQUENCES : 1;
        model = initialModel();
        int calls = 0;
        for (long seed = base; seed < base + sequences; seed++) {
            random = new Random(seed);
            log = Collections.synchronizedList(new ArrayList<>());
            try {
                for (int i = 0; i < CALLS_PER_SEQUENCE; i++) {
                    call(relayed.webAdmin());
                    calls++;
                }
                assertTablesEqualModel();
                relayed.server().restart();
                assertTablesEqualModel();
            } catch (Throwable e) {
                throw new AssertionError("seed " + seed + " (replay with -Dwebadmin.seed=" + seed + "), calls:\n"
                    + String.join("\n", log), e);
            }
        }
        assertThat(calls).isGreaterThanOrEqualTo(sequences * CALLS_PER_SEQUENCE);
    }

    private Model initialModel() throws Exception {
        WebAdmin webAdmin = relayed.webAdmin();
        assertThat(webAdmin.delete("/sendonly/routes?match=default").statusCode()).isEqualTo(204);
        Model initial = new Model();
        json(webAdmin.get("/sendonly/trustedNetworks")).forEach(node -> initial.trusted.add(node.asText()));
        JsonNode settings = json(webAdmin.get("/sendonly/settings"));
        initial.defaultDomain = settings.get("defaultDomain").asText();
        initial.adminAddress = settings.get("adminAddress").asText();
        return initial;
    }

    private void call(WebAdmin webAdmin) throws Exception {
        switch (random.nextInt(14)) {
            case 0 -> addTrustedNetwork(webAdmin);
            case 1 -> removeTrustedNetwork(webAdmin);
            case 2 -> addRoute(webAdmin);
            case 3 -> replaceRoute(webAdmin);
            case 4 -> removeRoute(webAdmin);
            case 5, 6 -> createKey(webAdmin);
            case 7 -> deleteKey(webAdmin);
            case 8 -> addSigningEntry(webAdmin);
            case 9 -> replaceSigningTable(webAdmin, random.nextBoolean());
            case 10 -> rotate(webAdmin);
            case 11 -> settings(webAdmin);
            case 12 -> user(webAdmin);
            default -> concurrentWriters(webAdmin);
        }
    }

    private void addTrustedNetwork(WebAdmin webAdmin) throws Exception {
        String network = random.nextInt(3) == 0 && !model.trusted.isEmpty() ? pick(model.trusted)
            : "10." + random.nextInt(4) + "." + random.nextInt(4) + ".0/24";
        Object value = maybeHostile(network);
        int status = post(webAdmin, "/sendonly/trustedNetworks", body("network", value)).statusCode();
        if (!network.equals(value)) {
            assertThat(status).isEqualTo(400);
        } else if (model.trusted.contains(network)) {
            assertThat(status).isEqualTo(409);
        } else {
            assertThat(status).isEqualTo(201);
            model.trusted.add(network);
        }
    }

    private void removeTrustedNetwork(WebAdmin webAdmin) throws Exception {
        String network = random.nextInt(3) > 0 && !model.trusted.isEmpty() ? pick(model.trusted) : "10.9.9.0/24" + pick(HOSTILE);
        int status = delete(webAdmin, "/sendonly/trustedNetworks?network=" + encode(network));
        assertThat(status).isEqualTo(model.trusted.remove(network) ? 204 : 404);
    }

    private void addRoute(WebAdmin webAdmin) throws Exception {
        String match = pick(List.of("recipient", "sender", "default"));
        String domain = pick(DOMAINS);
        boolean unreadableCaFile = random.nextInt(10) == 0;
        String hop = unreadableCaFile ? "h9.example smtp --starttls --x509cafile=missing.pem" : hop();
        Object value = maybeHostile(hop);
        Object domainValue = random.nextInt(10) == 0 ? domain + pick(HOSTILE) : domain;
        int status = post(webAdmin, "/sendonly/routes", body("match", match, "domain", domainValue, "hop", value)).statusCode();
        List<String> hops = model.hops(match, domain);
        boolean mixesDirect = !hops.isEmpty() && (hop.equals("direct") || hops.contains("direct"));
        boolean badDomain = !match.equals("default") && !domain.equals(domainValue);
        if (!hop.equals(value) || badDomain || mixesDirect || unreadableCaFile) {
            assertThat(status).isEqualTo(400);
        } else {
            assertThat(status).isEqualTo(201);
            hops.add(hop);
        }
        model.dropEmpty();
    }

    private void replaceRoute(WebAdmin webAdmin) throws Exception {
        String match = pick(List.of("recipient", "sender", "default"));
        String domain = pick(DOMAINS);
        List<String> hops = new ArrayList<>();
        for (int i = random.nextInt(3); i >= 0; i--) {
            hops.add(hop());
        }
        ArrayNode array = JSON.createArrayNode();
        hops.forEach(array::add);
        boolean hostile = random.nextInt(5) == 0;
        if (hostile) {
            array.add(random.nextBoolean() ? JSON.valueToTree(5) : JSON.valueToTree(hop() + pick(HOSTILE) + "default direct"));
        }
        ObjectNode body = body("match", match, "domain", domain);
        body.set("hops", random.nextInt(20) == 0 ? JSON.valueToTree("direct") : array);
        int status = post(webAdmin, "PUT", "/sendonly/routes", body).statusCode();
        List<String> current = model.hops(match, domain);
        boolean existed = !current.isEmpty();
        if (!body.get("hops").isArray() || hostile || hops.contains("direct") && hops.size() > 1) {
            assertThat(status).isEqualTo(400);
        } else {
            assertThat(status).isEqualTo(existed ? 204 : 201);
            current.clear();
            current.addAll(hops);
        }
        model.dropEmpty();
    }

    private void removeRoute(WebAdmin webAdmin) throws Exception {
        String match = pick(List.of("recipient", "sender", "default"));
        String domain = pick(DOMAINS);
        List<String> hops = model.hops(match, domain);
        int status = delete(webAdmin, "/sendonly/routes?match=" + match + "&domain=" + encode(domain));
        assertThat(status).isEqualTo(hops.isEmpty() ? 404 : 204);
        hops.clear();
        model.dropEmpty();
    }

    private void createKey(WebAdmin webAdmin) throws Exception {
        String domain = pick(KEY_DOMAINS);
        String selector = "s" + random.nextInt(4);
        boolean rsa = random.nextInt(10) == 0;
        boolean hostile = random.nextInt(6) == 0;
        ObjectNode body = body("domain", domain, "algorithm", rsa ? "rsa" : "ed25519",
            "selector", hostile ? maybeWrongType(selector + pick(HOSTILE)) : selector);
        body.put("bits", 1024);
        int status = post(webAdmin, "/sendonly/dkim/keys", body).statusCode();
        String name = selector + "._domainkey." + domain;
        if (hostile || !domain.equals("example.com")) {
            assertThat(status).as("only ASCII domains").isEqualTo(400);
        } else if (model.keys.contains(name)) {
            assertThat(status).isEqualTo(409);
        } else {
            assertThat(status).isEqualTo(201);
            model.keys.add(name);
        }
    }

    private void deleteKey(WebAdmin webAdmin) throws Exception {
        String name = !model.keys.isEmpty() && random.nextInt(4) > 0 ? pick(model.keys) : "s9._domainkey.example.com";
        int status = delete(webAdmin, "/sendonly/dkim/keys/" + encode(name));
        if (!model.keys.contains(name)) {
            assertThat(status).isEqualTo(404);
        } else if (model.signing.stream().anyMatch(entry -> entry.endsWith(" " + name))) {
            assertThat(status).isEqualTo(409);
        } else {
            assertThat(status).isEqualTo(204);
            model.keys.remove(name);
        }
    }

    private void addSigningEntry(WebAdmin webAdmin) throws Exception {
        String pattern = pick(PATTERNS);
        String key = signingKey();
        Object patternValue = maybeHostile(pattern);
        ObjectNode body = body("pattern", patternValue, "key", key);
        int size = model.signing.size();
        Optional<Integer> position = random.nextBoolean() ? Optional.empty() : Optional.of(random.nextInt(size + 3) - 1);
        position.ifPresent(at -> body.put("position", at));
        int status = post(webAdmin, "/sendonly/dkim/signingTable", body).statusCode();
        if (!pattern.equals(patternValue) || !model.keys.contains(key) || position.filter(at -> at < 0 || at > size).isPresent()) {
            assertThat(status).isEqualTo(400);
        } else {
            assertThat(status).isEqualTo(201);
            model.signing.add(position.orElse(size), pattern + " " + key);
        }
    }

    private void replaceSigningTable(WebAdmin webAdmin, boolean hostile) throws Exception {
        ArrayNode entries = JSON.createArrayNode();
        List<String> expected = new ArrayList<>();
        boolean valid = true;
        for (int i = random.nextInt(4); i > 0; i--) {
            String pattern = pick(PATTERNS);
            String key = signingKey();
            Object patternValue = hostile ? maybeHostile(pattern) : pattern;
            entries.add(body("pattern", patternValue, "key", key));
            expected.add(pattern + " " + key);
            valid &= pattern.equals(patternValue) && model.keys.contains(key);
        }
        int status = post(webAdmin, "PUT", "/sendonly/dkim/signingTable", entries).statusCode();
        if (valid) {
            assertThat(status).isEqualTo(200);
            model.signing.clear();
            model.signing.addAll(expected);
        } else {
            assertThat(status).isEqualTo(400);
        }
    }

    /** Forced, so that it does not depend on DNS; with and without a pattern. */
    private void rotate(WebAdmin webAdmin) throws Exception {
        Optional<String> pattern = random.nextInt(4) == 0 ? Optional.empty()
            : Optional.of(!model.signing.isEmpty() && random.nextBoolean() ? pick(model.signing).split(" ")[0] : pick(PATTERNS));
        String key = signingKey();
        ObjectNode body = body("key", key);
        body.put("force", true);
        pattern.ifPresent(value -> body.put("pattern", value));
        HttpResponse<String> response = post(webAdmin, "/sendonly/dkim/rotation", body);
        boolean listed = pattern.filter(value -> model.signing.stream().anyMatch(entry -> entry.startsWith(value + " "))).isPresent();
        if (pattern.isEmpty() || !model.keys.contains(key)) {
            assertThat(response.statusCode()).isEqualTo(400);
        } else if (!listed) {
            assertThat(response.statusCode()).isEqualTo(404);
        } else {
            assertThat(response.statusCode()).isEqualTo(200);
            model.signing.replaceAll(entry -> entry.startsWith(pattern.get() + " ") ? pattern.get() + " " + key : entry);
            assertThat(signingEntries(JSON.readTree(response.body()))).isEqualTo(model.signing);
        }
    }

    private void settings(WebAdmin webAdmin) throws Exception {
        String domain = "d" + random.nextInt(3) + ".example";
        String admin = "ops" + random.nextInt(3) + "@" + domain;
        boolean hostileDomain = random.nextInt(5) == 0;
        boolean hostileAdmin = random.nextInt(5) == 0;
        ObjectNode body = body("defaultDomain", hostileDomain ? wrongTypeOr(domain + pick(HOSTILE)) : domain,
            "adminAddress", hostileAdmin ? wrongTypeOr("ops" + pick(HOSTILE) + "@" + domain) : admin);
        int status = post(webAdmin, "PUT", "/sendonly/settings", body).statusCode();
        if (hostileDomain || hostileAdmin) {
            assertThat(status).isEqualTo(400);
        } else {
            assertThat(status).isEqualTo(200);
            model.defaultDomain = domain;
            model.adminAddress = admin;
        }
    }

    private void user(WebAdmin webAdmin) throws Exception {
        String name = pick(List.of("u1", "u2", "ünïcode", "webapp"));
        if (random.nextInt(3) == 0 && !model.users.isEmpty()) {
            int status = delete(webAdmin, "/users/" + encode(name));
            assertThat(status).isEqualTo(204);
            model.users.remove(name);
            return;
        }
        boolean hostile = random.nextInt(3) == 0;
        String sent = hostile ? (random.nextBoolean() ? name + pick(HOSTILE) + "x" : "x".repeat(300)) : name;
        int status = post(webAdmin, "PUT", "/users/" + encode(sent), body("password", "a long secret ü")).statusCode();
        if (hostile) {
            assertThat(status).isEqualTo(400);
        } else {
            assertThat(status).isEqualTo(model.users.add(name) ? 204 : 409);
        }
    }

    /** Writers at once on two tables: every change must land; the order between them is the server's. */
    private void concurrentWriters(WebAdmin webAdmin) throws Exception {
        List<String> networks = new ArrayList<>();
        List<Callable<Integer>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String network = "172." + (16 + random.nextInt(16)) + "." + random.nextInt(256) + ".0/24";
            if (!model.trusted.contains(network) && !networks.contains(network)) {
                networks.add(network);
                calls.add(() -> post(webAdmin, "/sendonly/trustedNetworks", body("network", network)).statusCode());
            }
        }
        List<String> entries = new ArrayList<>();
        if (!model.keys.isEmpty()) {
            for (int i = 0; i < 3; i++) {
                String entry = pick(PATTERNS) + " " + pick(model.keys);
                entries.add(entry);
                String[] fields = entry.split(" ");
                calls.add(() -> post(webAdmin, "/sendonly/dkim/signingTable", body("pattern", fields[0], "key", fields[1])).statusCode());
            }
        }
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            for (Future<Integer> status : writers.invokeAll(calls)) {
                assertThat(status.get()).isEqualTo(201);
            }
        } finally {
            writers.shutdownNow();
        }
        List<String> trusted = textList(json(webAdmin.get("/sendonly/trustedNetworks")));
        List<String> expectedTrusted = new ArrayList<>(model.trusted);
        expectedTrusted.addAll(networks);
        assertThat(trusted).containsExactlyInAnyOrderElementsOf(expectedTrusted);
        assertThat(trusted.subList(0, model.trusted.size())).as("appended").isEqualTo(model.trusted);
        List<String> signing = signingEntries(json(webAdmin.get("/sendonly/dkim/signingTable")));
        List<String> expectedSigning = new ArrayList<>(model.signing);
        expectedSigning.addAll(entries);
        assertThat(signing).containsExactlyInAnyOrderElementsOf(expectedSigning);
        assertThat(signing.subList(0, model.signing.size())).as("appended").isEqualTo(model.signing);
        model.trusted.clear();
        model.trusted.addAll(trusted);
        model.signing.clear();
        model.signing.addAll(signing);
        log.add("concurrent: " + networks + " " + entries);
    }

    private void assertTablesEqualModel() throws Exception {
        WebAdmin webAdmin = relayed.webAdmin();
        assertThat(textList(json(webAdmin.get("/sendonly/trustedNetworks")))).as("trusted networks").isEqualTo(model.trusted);
        assertThat(routes(json(webAdmin.get("/sendonly/routes")))).as("routes").isEqualTo(expectedRoutes());
        List<String> keys = new ArrayList<>();
        json(webAdmin.get("/sendonly/dkim/keys")).forEach(key -> keys.add(key.get("name").asText()));
        assertThat(keys).as("keys").isEqualTo(model.keys);
        assertThat(signingEntries(json(webAdmin.get("/sendonly/dkim/signingTable")))).as("signing table").isEqualTo(model.signing);
        JsonNode settings = json(webAdmin.get("/sendonly/settings"));
        assertThat(settings.get("defaultDomain").asText() + " " + settings.get("adminAddress").asText()).as("settings")
            .isEqualTo(model.defaultDomain + " " + model.adminAddress);
        Set<String> users = new HashSet<>();
        json(webAdmin.get("/users")).forEach(user -> users.add(user.get("username").asText()));
        assertThat(users).as("users").isEqualTo(model.users);
    }

    /** Each route as {@code match domain -> host:port,...} or {@code -> direct}, in precedence order. */
    private static List<String> routes(JsonNode routes) {
        List<String> lines = new ArrayList<>();
        for (JsonNode route : routes) {
            List<String> hosts = new ArrayList<>();
            route.get("smartHosts").forEach(hop -> hosts.add(hop.get("host").asText() + ":" + hop.get("port").asInt()));
            lines.add(route.get("match").asText() + " " + route.path("domain").asText("") + " -> "
                + (route.get("direct").asBoolean() ? "direct" : String.join(",", hosts)));
        }
        return lines;
    }

    private List<String> expectedRoutes() {
        List<String> lines = new ArrayList<>();
        model.recipientRoutes.forEach((domain, hops) -> lines.add("recipient " + domain + " -> " + hosts(hops)));
        model.senderRoutes.forEach((domain, hops) -> lines.add("sender " + domain + " -> " + hosts(hops)));
        lines.add("default  -> " + (model.defaultRoute.isEmpty() ? "direct" : hosts(model.defaultRoute)));
        return lines;
    }

    /** As the API shows a hop: {@code [h.example]:25} and {@code h.example smtp --port=587 ...} are both h.example:PORT. */
    private static String hosts(List<String> hops) {
        if (hops.contains("direct")) {
            return "direct";
        }
        List<String> hosts = new ArrayList<>();
        for (String hop : hops) {
            hosts.add(hop.startsWith("[") ? hop.substring(1).replace("]", "")
                : hop.split(" ")[0] + ":" + hop.replaceAll(".*--port=([0-9]+).*", "$1"));
        }
        return String.join(",", hosts);
    }

    private String hop() {
        int n = random.nextInt(3);
        return switch (random.nextInt(3)) {
            case 0 -> "direct";
            case 1 -> "[h" + n + ".example]:25";
            default -> "h" + n + ".exämple smtp --port=587 --starttls --user=u" + n + " --pass=pä$$" + n;
        };
    }

    /** A key the KeyTable has, mostly; sometimes one it has not. */
    private String signingKey() {
        return !model.keys.isEmpty() && random.nextInt(5) > 0 ? pick(model.keys) : "nokey._domainkey.example.com";
    }

    /** The value, or (one time in four) something no table can hold: a control character, a long value, a wrong type. */
    private Object maybeHostile(String value) {
        return switch (random.nextInt(12)) {
            case 0 -> value + pick(HOSTILE) + value;
            case 1 -> pick(HOSTILE) + value;
            case 2 -> value + "x".repeat(1000 + random.nextInt(5000));
            default -> random.nextInt(4) == 0 ? maybeWrongType(value + pick(HOSTILE)) : value;
        };
    }

    /** The hostile value, a JSON value of the wrong type, or none. */
    private Object maybeWrongType(String hostile) {
        return random.nextInt(4) == 0 ? Optional.empty() : wrongTypeOr(hostile);
    }

    /** The hostile value or a JSON value of the wrong type. */
    private Object wrongTypeOr(String hostile) {
        return switch (random.nextInt(4)) {
            case 0 -> 5;
            case 1 -> List.of(hostile);
            case 2 -> Map.of("value", hostile);
            default -> hostile;
        };
    }

    /** A JSON object of name, value pairs; an empty Optional leaves the field out. */
    private static ObjectNode body(Object... namesAndValues) {
        ObjectNode body = JSON.createObjectNode();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            if (!Optional.empty().equals(namesAndValues[i + 1])) {
                body.set((String) namesAndValues[i], JSON.valueToTree(namesAndValues[i + 1]));
            }
        }
        return body;
    }

    private HttpResponse<String> post(WebAdmin webAdmin, String path, JsonNode body) throws Exception {
        return post(webAdmin, "POST", path, body);
    }

    private HttpResponse<String> post(WebAdmin webAdmin, String method, String path, JsonNode body) throws Exception {
        String json = JSON.writeValueAsString(body);
        HttpResponse<String> response = method.equals("PUT") ? webAdmin.put(path, json) : webAdmin.post(path, json);
        log.add(method + " " + path + " " + abbreviate(json) + " -> " + response.statusCode() + " " + abbreviate(response.body()));
        return response;
    }

    private int delete(WebAdmin webAdmin, String path) throws Exception {
        HttpResponse<String> response = webAdmin.delete(path);
        log.add("DELETE " + abbreviate(path) + " -> " + response.statusCode() + " " + abbreviate(response.body()));
        return response.statusCode();
    }

    private static String abbreviate(String text) {
        return text.length() > 200 ? text.substring(0, 200) + "...(" + text.length() + ")" : text;
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<String> textList(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }

    private static List<String> signingEntries(JsonNode array) {
        List<String> entries = new ArrayList<>();
        array.forEach(entry -> entries.add(entry.get("pattern").asText() + " " + entry.get("key").asText()));
        return entries;
    }

    /** Percent-encoded for a path segment or a query value (a space as %20, never +). */
    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}
