package io.sendonly.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code signing list | add PATTERN KEY [--first] | rotate PATTERN KEY [--force] | remove PATTERN [KEY]}: the
 * SigningTable, first match wins. {@code rotate} points the pattern's entries at a new key, refused while the key's
 * DNS record is not published (unless {@code --force}).
 */
final class SigningResource implements Resource {
    private static final String SIGNING_TABLE = "/sendonly/dkim/signingTable";

    @Override
    public int run(Command command, Webadmin webadmin, Terminal terminal) throws CliException {
        switch (command.verb()) {
            case "list" -> {
                command.allowing().operands();
                Table table = new Table("PATTERN", "KEY");
                for (JsonNode entry : webadmin.getJson(SIGNING_TABLE)) {
                    table.row(entry.path("pattern").asText(), entry.path("key").asText());
                }
                terminal.out().print(table);
            }
            case "add" -> {
                Map<String, Object> entry = entry(command.allowing("first").operands("PATTERN", "KEY"));
                if (command.flag("first")) {
                    entry.put("position", 0);
                }
                webadmin.post(SIGNING_TABLE, entry);
            }
            case "rotate" -> {
                Map<String, Object> entry = entry(command.allowing("force").operands("PATTERN", "KEY"));
                entry.put("force", command.flag("force"));
                webadmin.post("/sendonly/dkim/rotation", entry);
            }
            case "remove" -> {
                List<String> operands = command.allowing().operands(1, "PATTERN", "KEY");
                webadmin.delete(SIGNING_TABLE + "?pattern=" + Webadmin.query(operands.get(0))
                    + (operands.size() > 1 ? "&key=" + Webadmin.query(operands.get(1)) : ""));
            }
            default -> throw Resource.unknownVerb(command, "list, add, rotate or remove");
        }
        return 0;
    }

    private static Map<String, Object> entry(List<String> operands) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("pattern", operands.get(0));
        entry.put("key", operands.get(1));
        return entry;
    }
}
