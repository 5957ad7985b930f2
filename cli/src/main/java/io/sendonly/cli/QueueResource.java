package io.sendonly.cli;

import java.time.ZoneId;
import java.util.Map;

/**
 * {@code queue list | show ID | delete ID... | flush}: the deferred mail of the {@code outgoing} queue, as Postfix's
 * mailq, postcat -q, postsuper -d and postqueue -f.
 */
final class QueueResource implements Resource {
    private static final String QUEUE = "/sendonly/queue";

    private final ZoneId zone;

    QueueResource(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public int run(Command command, Webadmin webadmin, Terminal terminal) throws CliException {
        command.allowing();
        switch (command.verb()) {
            case "list" -> {
                command.operands();
                terminal.out().print(QueueFormat.mailq(webadmin.getJson(QUEUE), zone));
            }
            case "show" -> {
                String id = command.operands("ID").get(0);
                String path = QUEUE + "/" + Webadmin.segment(id);
                terminal.out().print(QueueFormat.envelope(webadmin.getJson(path), zone));
                terminal.out().print(QueueFormat.messageMarker(id));
                byte[] message = webadmin.get(path + "/message");
                terminal.out().write(message, 0, message.length);
                terminal.out().print(QueueFormat.endMarker(id));
            }
            case "delete" -> {
                return delete(command, webadmin, terminal);
            }
            case "flush" -> {
                command.operands();
                // James's flush: every deferred mail is eligible for delivery now.
                webadmin.patch("/mailQueues/outgoing/mails?delayed=true", Map.of("delayed", false));
            }
            default -> throw Resource.unknownVerb(command, "list, show, delete or flush");
        }
        return 0;
    }

    /** Deletes each id it can, as postsuper -d does; an id not queued is told and makes the exit code 67. */
    private static int delete(Command command, Webadmin webadmin, Terminal terminal) throws CliException {
        int exitCode = 0;
        for (String id : command.atLeastOne("ID")) {
            try {
                webadmin.delete(QUEUE + "/" + Webadmin.segment(id));
                terminal.out().println(id + ": removed");
            } catch (CliException e) {
                if (e.exitCode() != CliException.EX_NOUSER) {
                    throw e;
                }
                terminal.err().println(id + ": not in the queue");
                exitCode = e.exitCode();
            }
        }
        return exitCode;
    }
}
