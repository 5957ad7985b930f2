package io.sendonly.deliver;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.xbill.DNS.ResolverConfig;

/**
 * The DNS servers James resolves with, in James's order ({@code DNSJavaService}): with {@code autodiscover} (the
 * default) the system's ({@code /etc/resolv.conf}) first, then the {@code <servers>} of {@code conf/dnsservice.xml},
 * {@code 127.0.0.1} when there is none. The first is where DANE's queries go unless {@code dnssecResolver} says
 * otherwise.
 */
final class DnsServers {
    private static final String DNS_SERVICE = "dnsservice";

    private DnsServers() {
    }

    static String first(ConfigurationProvider configuration) throws ConfigurationException {
        return first(configuration.getConfiguration(DNS_SERVICE));
    }

    static String first(HierarchicalConfiguration<ImmutableNode> dnsService) {
        List<String> servers = new ArrayList<>();
        if (dnsService.getBoolean("autodiscover", true)) {
            ResolverConfig.getCurrentConfig().servers().forEach(server -> servers.add(server.getHostString()));
        }
        servers.addAll(List.of(dnsService.getStringArray("servers.server")));
        return servers.stream().map(String::trim).filter(server -> !server.isEmpty()).findFirst().orElse("127.0.0.1");
    }
}
