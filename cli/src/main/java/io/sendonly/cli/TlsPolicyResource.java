package io.sendonly.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code tls-policy list | set KEY LEVEL [match=NAME:NAME...] [tafile=FILE] | delete KEY}: the TLS policy table
 * (conf/tls_policy), in Postfix {@code smtp_tls_policy_maps} words. KEY is a domain, {@code .domain} or
 * {@code [host]:port}; {@code set} replaces the key's entry or adds one.
 */
final class TlsPolicyResource implements Resource {
    private static final String TLS_POLICY = "/sendonly/tls-policy";
    private static final String MATCH = "match=";
    private static final String TAFILE = "tafile=";

    @Override
    public int run(Command command, Webadmin webadmin, Terminal terminal) throws CliException {
        command.allowing();
        switch (command.verb()) {
            case "list" -> Resource.listLines(command, webadmin, TLS_POLICY, TlsPolicyResource::line, terminal);
            case "set" -> {
                List<String> operands = command.operands(2, "KEY", "LEVEL", "match=NAME:NAME...", "tafile=FILE");
                webadmin.put(path(operands.get(0)), entry(operands.subList(1, operands.size())));
            }
            case "delete" -> webadmin.delete(path(command.operands("KEY").get(0)));
            default -> throw Resource.unknownVerb(command, "list, set or delete");
        }
        return 0;
    }

    /** One entry as the file has it: {@code KEY LEVEL [match=...] [tafile=...]}. */
    static String line(JsonNode entry) {
        StringBuilder line = new StringBuilder(entry.path("key").asText()).append(' ').append(entry.path("level").asText());
        List<String> match = new ArrayList<>();
        entry.path("match").forEach(name -> match.add(name.asText()));
        if (!match.isEmpty()) {
            line.append(' ').append(MATCH).append(String.join(":", match));
        }
        if (entry.path("tafile").isTextual()) {
            line.append(' ').append(TAFILE).append(entry.path("tafile").asText());
        }
        return line.toString();
    }

    /** {@code LEVEL [match=...] [tafile=...]} as the webadmin body. */
    private static Map<String, Object> entry(List<String> words) throws CliException {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("level", words.get(0));
        for (String word : words.subList(1, words.size())) {
            if (word.startsWith(MATCH) && !entry.containsKey("match")) {
                entry.put("match", List.of(word.substring(MATCH.length()).split(":", -1)));
            } else if (word.startsWith(TAFILE) && !entry.containsKey("tafile")) {
                entry.put("tafile", word.substring(TAFILE.length()));
            } else {
                throw new CliException(CliException.EX_USAGE, "tls-policy set: '" + word + "': expected match=NAME:NAME... or "
                    + "tafile=FILE, once each");
            }
        }
        return entry;
    }

    private static String path(String key) {
        return TLS_POLICY + "/" + Webadmin.query(key);
    }
}
