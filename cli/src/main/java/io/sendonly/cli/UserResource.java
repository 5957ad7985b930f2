package io.sendonly.cli;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code users list | add NAME | password NAME | delete NAME}: the SMTP AUTH users. The password is never an
 * argument (it would show in ps and the shell's history): typed twice at the console, or the first line of
 * standard input.
 */
final class UserResource implements Resource {
    private static final String USERS = "/users";

    @Override
    public int run(Command command, Webadmin webadmin, Terminal terminal) throws CliException {
        command.allowing();
        switch (command.verb()) {
            case "list" -> Resource.listLines(command, webadmin, USERS, user -> user.path("username").asText(), terminal);
            case "add" -> {
                String name = command.operands("NAME").get(0);
                webadmin.put(USERS + "/" + Webadmin.segment(name), Map.of("password", terminal.password("Password for " + name)));
            }
            case "password" -> {
                // James's force: the user's password replaced, where a plain PUT refuses an existing user (409).
                String name = command.operands("NAME").get(0);
                webadmin.put(USERS + "/" + Webadmin.segment(name) + "?force", Map.of("password", terminal.password("New password for " + name)));
            }
            case "delete" -> webadmin.delete(USERS + "/" + Webadmin.segment(command.operands("NAME").get(0)));
            default -> throw Resource.unknownVerb(command, "list, add, password or delete");
        }
        return 0;
    }
}
