package io.sendonly.cli;

import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/** The verbs of one resource of {@code bin/sendonly}, e.g. {@code keys list}, {@code keys new}. */
interface Resource {
    /** @return the exit code */
    int run(Command command, Webadmin webadmin, Terminal terminal) throws CliException;

    static CliException unknownVerb(Command command, String verbs) {
        return new CliException(CliException.EX_USAGE, command.words().get(0) + ": "
            + (command.verb().isEmpty() ? "missing verb" : "unknown verb '" + command.verb() + "'") + "; expected " + verbs);
    }

    /** {@code list} without arguments: one line per element of the JSON array at {@code path}. */
    static void listLines(Command command, Webadmin webadmin, String path, Function<JsonNode, String> line, Terminal terminal)
        throws CliException {
        command.operands();
        webadmin.getJson(path).forEach(element -> terminal.out().println(line.apply(element)));
    }
}
