package io.sendonly.cli;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code networks list | add NETWORK | remove NETWORK}: the clients that relay without AUTH (conf/TrustedHosts). */
final class NetworkResource implements Resource {
    private static final String NETWORKS = "/sendonly/trustedNetworks";

    @Override
    public int run(Command command, Webadmin webadmin, Terminal terminal) throws CliException {
        command.allowing();
        switch (command.verb()) {
            case "list" -> Resource.listLines(command, webadmin, NETWORKS, JsonNode::asText, terminal);
            case "add" -> webadmin.post(NETWORKS, Map.of("network", command.operands("NETWORK").get(0)));
            case "remove" -> webadmin.delete(NETWORKS + "?network=" + Webadmin.query(command.operands("NETWORK").get(0)));
            default -> throw Resource.unknownVerb(command, "list, add or remove");
        }
        return 0;
    }
}
