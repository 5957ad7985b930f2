package io.sendonly.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code keys list [--dns] | new DOMAIN SELECTOR [--algorithm=rsa|ed25519] [--bits=N] | import DOMAIN SELECTOR
 * [--public-key=P] < KEY.private | dns NAME | delete NAME}: the DKIM keys of the KeyTable. A key is named as its DNS
 * record, {@code SELECTOR._domainkey.DOMAIN}. {@code dns} exits 0 when the record is published, 75 while it is
 * missing, 65 when DNS holds another key or a malformed record.
 */
final class KeyResource implements Resource {
    private static final String KEYS = "/sendonly/dkim/keys";

    @Override
    public int run(Command command, Webadmin webadmin, Terminal terminal) throws CliException {
        switch (command.verb()) {
            case "list" -> {
                command.allowing("dns").operands();
                boolean dns = command.flag("dns");
                Table table = dns ? new Table("NAME", "ALGORITHM", "BITS", "CREATED", "IN-USE", "DNS")
                    : new Table("NAME", "ALGORITHM", "BITS", "CREATED", "IN-USE");
                for (JsonNode key : webadmin.getJson(KEYS + (dns ? "?dns=true" : ""))) {
                    // The algorithm as DKIM's a= tag names it, the creation day as ls would.
                    List<String> row = List.of(key.path("name").asText(),
                        key.path("algorithm").asText().toLowerCase(Locale.ROOT).replace('_', '-'), key.path("bits").asText("-"),
                        key.path("created").isTextual() ? key.get("created").asText().substring(0, 10) : "-",
                        key.path("inUse").asBoolean() ? "yes" : "no");
                    table.row(dns ? append(row, key.path("dns").asText("-")) : row.toArray(String[]::new));
                }
                terminal.out().print(table);
            }
            case "new" -> {
                List<String> operands = command.allowing("algorithm", "bits").operands("DOMAIN", "SELECTOR");
                Map<String, Object> body = key(operands);
                command.option("algorithm").ifPresent(algorithm -> body.put("algorithm", algorithm));
                if (command.option("bits").isPresent()) {
                    body.put("bits", number(command.option("bits").get(), "--bits"));
                }
                printRecord(webadmin.post(KEYS, body), terminal);
            }
            case "import" -> {
                List<String> operands = command.allowing("public-key").operands("DOMAIN", "SELECTOR");
                Map<String, Object> body = key(operands);
                body.put("privateKey", terminal.all());
                command.option("public-key").ifPresent(publicKey -> body.put("publicKey", publicKey));
                printRecord(webadmin.post(KEYS, body), terminal);
            }
            case "dns" -> {
                String name = command.allowing().operands("NAME").get(0);
                return dnsCheck(webadmin.getJson(KEYS + "/" + Webadmin.segment(name) + "/dns"), terminal);
            }
            case "delete" -> {
                String name = command.allowing().operands("NAME").get(0);
                webadmin.delete(KEYS + "/" + Webadmin.segment(name));
            }
            default -> throw Resource.unknownVerb(command, "list, new, import, dns or delete");
        }
        return 0;
    }

    /** Prints the DNS check; 0 when published, 75 while missing (publish, then try again), 65 for another key. */
    static int dnsCheck(JsonNode check, Terminal terminal) {
        String status = check.path("status").asText();
        terminal.out().println(check.path("name").asText() + ": " + status);
        if (status.equals("published")) {
            return 0;
        }
        terminal.out().println("expected: " + check.path("expected").asText("-"));
        if (check.path("published").isTextual()) {
            terminal.out().println("found: " + check.get("published").asText());
        }
        return status.equals("missing") ? CliException.EX_TEMPFAIL : CliException.EX_DATAERR;
    }

    private static void printRecord(JsonNode created, Terminal terminal) {
        terminal.out().println(created.path("name").asText() + ": created; publish this TXT record at "
            + created.path("dnsName").asText() + ":");
        terminal.out().println(created.path("txt").asText());
    }

    private static Map<String, Object> key(List<String> operands) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("domain", operands.get(0));
        body.put("selector", operands.get(1));
        return body;
    }

    private static String[] append(List<String> row, String cell) {
        String[] cells = row.toArray(new String[row.size() + 1]);
        cells[row.size()] = cell;
        return cells;
    }

    private static int number(String value, String option) throws CliException {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new CliException(CliException.EX_USAGE, option + ": '" + value + "' is not a number");
        }
    }
}
