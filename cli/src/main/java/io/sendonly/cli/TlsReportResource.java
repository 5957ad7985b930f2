package io.sendonly.cli;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code tls-reports [show] | send}: today's TLS-RPT counts per policy domain and policy, or sending now the
 * reports of the days that ended (one line per report: where it went, or why nowhere).
 */
final class TlsReportResource implements Resource {
    private static final String TLS_REPORTS = "/sendonly/tls-reports";

    @Override
    public int run(Command command, Webadmin webadmin, Terminal terminal) throws CliException {
        switch (command.verb()) {
            case "", "show" -> {
                command.operands();
                JsonNode today = webadmin.getJson(TLS_REPORTS);
                if (!today.path("enabled").asBoolean()) {
                    terminal.out().println("TLS-RPT is disabled (events.xml <tlsrpt enabled=\"false\">)");
                }
                Table table = new Table("DOMAIN", "POLICY", "SUCCESSFUL", "FAILED", "FAILURES");
                today.path("domains").forEach(domain -> domain.path("policies").forEach(policy -> table.row(
                    domain.path("domain").asText(), policy.path("policyType").asText(), policy.path("successful").asText(),
                    policy.path("failed").asText(), failures(policy.path("failures")))));
                terminal.out().println("Today (" + today.path("day").asText() + ", UTC):");
                terminal.out().print(table);
            }
            case "send" -> {
                command.operands();
                JsonNode outcomes = webadmin.post(TLS_REPORTS, Map.of());
                if (outcomes.isEmpty()) {
                    terminal.out().println("no report to send: no day ended with counts not yet reported");
                }
                outcomes.forEach(outcome -> terminal.out().println(outcome.path("day").asText() + " "
                    + outcome.path("domain").asText() + " " + outcome.path("reportId").asText() + ": "
                    + (outcome.path("sentTo").isEmpty() ? "not sent" : "sent to " + join(outcome.path("sentTo")))
                    + (outcome.path("problems").isEmpty() ? "" : "; " + join(outcome.path("problems")))));
            }
            default -> throw Resource.unknownVerb(command, "show or send");
        }
        return 0;
    }

    /** {@code result-type@host xN}, comma separated. */
    private static String failures(JsonNode failures) {
        StringBuilder text = new StringBuilder();
        failures.forEach(failure -> text.append(text.length() == 0 ? "" : ", ").append(failure.path("resultType").asText())
            .append('@').append(failure.path("receivingMxHostname").asText()).append(" x").append(failure.path("sessions").asText()));
        return text.toString();
    }

    private static String join(JsonNode values) {
        StringBuilder text = new StringBuilder();
        values.forEach(value -> text.append(text.length() == 0 ? "" : ", ").append(value.asText()));
        return text.toString();
    }
}
