package io.sendonly.cli;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code trace --message-id ID | --queue-id ID | --recipient ADDRESS [--since T] [--until T] [--limit N]}: what
 * happened to a message, from the event log (webadmin {@code /sendonly/messages}), one event a line, oldest first.
 * Options take their value after a space or an {@code =}. Nothing found exits 67.
 */
final class TraceResource implements Resource {
    private static final String MESSAGES = "/sendonly/messages";
    /** Our options and the API's parameters. */
    private static final Map<String, String> PARAMETERS = Map.of("message-id", "messageId", "queue-id", "queueId", "recipient",
        "recipient", "since", "since", "until", "until", "limit", "limit");
    private static final List<String> FILTERS = List.of("message-id", "queue-id", "recipient", "since", "until");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS", Locale.ROOT);

    private final ZoneId zone;

    TraceResource(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public int run(Command command, Webadmin webadmin, Terminal terminal) throws CliException {
        Map<String, String> options = options(command.args());
        if (FILTERS.stream().noneMatch(options::containsKey)) {
            throw new CliException(CliException.EX_USAGE, "trace: give --message-id, --queue-id, --recipient, --since or --until");
        }
        StringJoiner query = new StringJoiner("&", MESSAGES + "?", "");
        options.forEach((name, value) -> query.add(PARAMETERS.get(name) + "=" + Webadmin.query(value)));
        JsonNode events = webadmin.getJson(query.toString());
        if (events.isEmpty()) {
            terminal.err().println("trace: no events found (the log keeps them for <log><retention> of conf/events.xml)");
            return CliException.EX_NOUSER;
        }
        terminal.out().print(table(events));
        return 0;
    }

    /** {@code --name value} and {@code --name=value} after the resource word, each known and given once. */
    private static Map<String, String> options(List<String> args) throws CliException {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>(args.subList(Math.min(1, args.size()), args.size()));
        while (!rest.isEmpty()) {
            String arg = rest.remove(0);
            if (!arg.startsWith("--")) {
                throw new CliException(CliException.EX_USAGE, "trace: unexpected '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            if (!PARAMETERS.containsKey(name)) {
                throw new CliException(CliException.EX_USAGE, "trace: unknown option --" + name + "; expected --"
                    + String.join(", --", PARAMETERS.keySet().stream().sorted().toList()));
            }
            if (equals < 0 && rest.isEmpty()) {
                throw new CliException(CliException.EX_USAGE, "trace: --" + name + " needs a value");
            }
            String value = equals < 0 ? rest.remove(0) : arg.substring(equals + 1);
            if (options.put(name, value) != null) {
                throw new CliException(CliException.EX_USAGE, "trace: --" + name + " given twice");
            }
        }
        return options;
    }

    String table(JsonNode events) {
        Table table = new Table("TIME", "TYPE", "QUEUE ID", "RECIPIENT", "STATUS", "CLASS", "DETAILS");
        for (JsonNode event : events) {
            StringJoiner details = new StringJoiner(", ");
            event.path("details").fields().forEachRemaining(entry -> details.add(entry.getKey() + "=" + entry.getValue().asText()));
            table.row(time(event.path("time").asText()), event.path("type").asText(), event.path("queueId").asText(),
                event.path("recipient").asText("-"), event.path("status").asText("-"), event.path("bounceClass").asText("-"),
                details.toString());
        }
        return table.toString();
    }

    private String time(String instant) {
        try {
            return TIME.format(Instant.parse(instant).atZone(zone));
        } catch (DateTimeParseException e) {
            return instant;
        }
    }
}
