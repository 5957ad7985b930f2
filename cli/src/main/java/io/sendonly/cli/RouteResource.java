package io.sendonly.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code routes list | add recipient|sender DOMAIN HOP | add default HOP | remove recipient|sender DOMAIN |
 * remove default}: the route table (conf/routes). HOP is a routes-file hop: {@code direct}, {@code [host]:port}, or
 * a nullmailer line ({@code smtp.example.org smtp --port=587 --starttls --user=U --pass=P}); {@code -} reads it from
 * standard input, which keeps a password off the command line. A hop is added last in its key's failover order.
 */
final class RouteResource implements Resource {
    private static final String ROUTES = "/sendonly/routes";
    private static final String DEFAULT = "default";

    @Override
    public int run(Command command, Webadmin webadmin, Terminal terminal) throws CliException {
        switch (command.verb()) {
            case "list" -> {
                command.allowing().operands();
                Table table = new Table("MATCH", "DOMAIN", "HOP");
                for (JsonNode route : webadmin.getJson(ROUTES)) {
                    String match = route.path("match").asText();
                    String domain = route.path("domain").asText("-");
                    if (route.path("direct").asBoolean()) {
                        table.row(match, domain, "direct");
                    }
                    route.path("smartHosts").forEach(hop -> table.row(match, domain, hop(hop)));
                }
                terminal.out().print(table);
            }
            case "add" -> {
                Map<String, Object> route = key(command.words());
                List<String> hop = command.rawFrom(route.size() + 2);
                if (hop.isEmpty()) {
                    throw new CliException(CliException.EX_USAGE, "routes add: missing HOP");
                }
                route.put("hop", hop.equals(List.of("-")) ? terminal.firstLine() : String.join(" ", hop));
                webadmin.post(ROUTES, route);
            }
            case "remove" -> {
                command.allowing().operands(1, "MATCH", "DOMAIN");
                Map<String, Object> route = key(command.words());
                webadmin.delete(ROUTES + "?match=" + Webadmin.query((String) route.get("match"))
                    + (route.containsKey("domain") ? "&domain=" + Webadmin.query((String) route.get("domain")) : ""));
            }
            default -> throw Resource.unknownVerb(command, "list, add or remove");
        }
        return 0;
    }

    /** The route key at the start of the operands: {@code default}, or {@code recipient|sender DOMAIN}. */
    private static Map<String, Object> key(List<String> words) throws CliException {
        Map<String, Object> key = new LinkedHashMap<>();
        if (words.size() < 3) {
            throw new CliException(CliException.EX_USAGE, "routes " + words.get(1) + ": missing recipient, sender or default");
        }
        key.put("match", words.get(2));
        if (!words.get(2).equals(DEFAULT)) {
            if (words.size() < 4) {
                throw new CliException(CliException.EX_USAGE, "routes " + words.get(1) + ": missing DOMAIN");
            }
            key.put("domain", words.get(3));
        }
        return key;
    }

    /** A smart host without the password: {@code [host]:port LEVEL [ssl] [user=U]}, the level in Postfix's words. */
    static String hop(JsonNode hop) {
        String host = hop.path("host").asText();
        StringBuilder text = new StringBuilder(hop.path("mxLookup").asBoolean() ? host : "[" + host + "]")
            .append(':').append(hop.path("port").asInt());
        text.append(' ').append(hop.path("level").asText());
        if (hop.path("tls").asText().equals("IMPLICIT")) {
            text.append(" ssl");
        }
        if (hop.path("user").isTextual()) {
            text.append(" user=").append(hop.get("user").asText());
        }
        return text.toString();
    }
}
