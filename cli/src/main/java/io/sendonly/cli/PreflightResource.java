package io.sendonly.cli;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code preflight [DOMAIN]}: the sender-authentication preflight of every sending domain, or of one (webadmin
 * {@code /sendonly/preflight}): each check's status and sentence, the DNS record to publish under it, then the
 * Gmail/Yahoo sender rules. Exits 0 when no check failed and 1 when one did, as Postfix's checking commands do: a
 * failed check is an answer, not one of the errors sysexits codes name; 67 for a domain that is not a sending domain.
 */
final class PreflightResource implements Resource {
    static final int CHECK_FAILED = 1;
    private static final String PREFLIGHT = "/sendonly/preflight";
    /** The width of the check names' column, and where the sentences start. */
    private static final String INDENT = " ".repeat(18);

    @Override
    public int run(Command command, Webadmin webadmin, Terminal terminal) throws CliException {
        if (command.words().size() > 2) {
            throw new CliException(CliException.EX_USAGE, "preflight: unexpected '" + command.words().get(2) + "'; expected"
                + " preflight [DOMAIN]");
        }
        String path = command.verb().isEmpty() ? PREFLIGHT : PREFLIGHT + "?domain=" + Webadmin.query(command.verb());
        JsonNode report = webadmin.getJson(path);
        terminal.out().print(text(report));
        return report.path("failed").asBoolean() ? CHECK_FAILED : 0;
    }

    static String text(JsonNode report) {
        StringBuilder text = new StringBuilder();
        for (JsonNode domain : report.path("domains")) {
            text.append(domain.path("domain").asText()).append(": ").append(domain.path("status").asText()).append('\n');
            for (JsonNode check : domain.path("checks")) {
                text.append(String.format(Locale.ROOT, "  %-5s %-10s %s%n", check.path("status").asText().toUpperCase(Locale.ROOT),
                    check.path("name").asText(), check.path("detail").asText()));
                if (check.hasNonNull("record")) {
                    text.append(INDENT).append("publish: ").append(check.path("record").asText()).append('\n');
                }
            }
            text.append('\n');
        }
        text.append("Gmail/Yahoo sender rules:\n");
        for (JsonNode item : report.path("checklist")) {
            text.append(String.format(Locale.ROOT, "  %-5s %-13s %s: %s%n", item.path("status").asText().toUpperCase(Locale.ROOT),
                item.path("appliesTo").asText(), item.path("rule").asText(), item.path("detail").asText()));
        }
        return text.toString();
    }
}
