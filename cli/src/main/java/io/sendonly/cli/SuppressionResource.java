package io.sendonly.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code suppressions list [--search=TEXT] [--offset=N] [--limit=N] | show ADDRESS |
 * add ADDRESS [--sender-domain=DOMAIN] [--expires=7d|INSTANT] | remove ADDRESS [--sender-domain=DOMAIN]}: the
 * recipients delivery does not attempt, listed after a hard bounce or by hand.
 */
final class SuppressionResource implements Resource {
    private static final String SUPPRESSIONS = "/sendonly/suppressions";
    private static final String SENDER_DOMAIN = "sender-domain";

    @Override
    public int run(Command command, Webadmin webadmin, Terminal terminal) throws CliException {
        switch (command.verb()) {
            case "list" -> {
                command.allowing("search", "offset", "limit").operands();
                StringBuilder query = new StringBuilder("?q=").append(Webadmin.query(command.option("search").orElse("")));
                command.option("offset").ifPresent(offset -> query.append("&offset=").append(Webadmin.query(offset)));
                command.option("limit").ifPresent(limit -> query.append("&limit=").append(Webadmin.query(limit)));
                terminal.out().print(table(webadmin.getJson(SUPPRESSIONS + query)));
            }
            case "show" -> {
                String address = command.allowing().operands("ADDRESS").get(0);
                terminal.out().print(table(webadmin.getJson(SUPPRESSIONS + "/" + Webadmin.segment(address))));
            }
            case "add" -> {
                String address = command.allowing(SENDER_DOMAIN, "expires").operands("ADDRESS").get(0);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("address", address);
                command.option(SENDER_DOMAIN).ifPresent(domain -> entry.put("senderDomain", domain));
                command.option("expires").ifPresent(expires -> entry.put("expires", expires));
                webadmin.post(SUPPRESSIONS, entry);
            }
            case "remove" -> {
                String address = command.allowing(SENDER_DOMAIN).operands("ADDRESS").get(0);
                Optional<String> domain = command.option(SENDER_DOMAIN);
                webadmin.delete(SUPPRESSIONS + "/" + Webadmin.segment(address)
                    + domain.map(value -> "?senderDomain=" + Webadmin.query(value)).orElse(""));
            }
            default -> throw Resource.unknownVerb(command, "list, show, add or remove");
        }
        return 0;
    }

    /** One row per entry; {@code *} for an entry of every sender domain. */
    private static Table table(JsonNode entries) {
        Table table = new Table("ADDRESS", "SENDER DOMAIN", "LISTED", "EXPIRES", "STATUS", "REPLY");
        entries.forEach(entry -> table.row(entry.path("address").asText(), entry.path("senderDomain").asText("*"),
            entry.path("listedAt").asText(), entry.path("expiresAt").asText(), entry.path("status").asText(),
            entry.path("reply").asText()));
        return table;
    }
}
