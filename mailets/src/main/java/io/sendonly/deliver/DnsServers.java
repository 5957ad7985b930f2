package io.sendonly.deliver;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;

/**
 * The DNS servers of {@code conf/dnsservice.xml}, read as James's DNSJavaService reads them ({@code autodiscover},
 * the default, adds the system's from {@code /etc/resolv.conf} first, then each {@code servers/server}; none at all
 * means 127.0.0.1): MTA-STS records are looked up where the MX hosts are, and the first is where DANE's queries go
 * unless {@code dnssecResolver} says otherwise; the preflight asks them too.
 */
public final class DnsServers {
    static final String CONFIGURATION = "dnsservice";

    private DnsServers() {
    }

    public static List<String> of(ConfigurationProvider configuration) throws ConfigurationException {
        return servers(configuration.getConfiguration(CONFIGURATION));
    }

    static List<String> servers(HierarchicalConfiguration<ImmutableNode> dnsservice) {
        List<String> servers = new ArrayList<>();
        if (dnsservice.getBoolean("autodiscover", true)) {
            ResolverConfig.getCurrentConfig().servers().stream().map(InetSocketAddress::getHostString).forEach(servers::add);
        }
        List.of(dnsservice.getStringArray("servers.server")).stream().map(String::trim).filter(server -> !server.isEmpty())
            .forEach(servers::add);
        if (servers.isEmpty()) {
            servers.add("127.0.0.1");
        }
        return List.copyOf(servers);
    }

    /** @throws IllegalArgumentException naming a server that is not an address or a known name */
    public static Resolver resolver(List<String> servers) {
        try {
            return new ExtendedResolver(servers.toArray(String[]::new));
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(CONFIGURATION + ".xml: DNS server " + e.getMessage() + " is unknown", e);
        }
    }
}
