package io.sendonly.deliver;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ResolverConfig;

/**
 * The DNS servers of {@code conf/dnsservice.xml}, read as James's DNSJavaService reads them ({@code autodiscover}
 * adds the system's, then each {@code servers/server}; none at all means 127.0.0.1), as one dnsjava resolver: the
 * MTA-STS records are looked up where the MX hosts are.
 */
final class DnsServers {
    static final String CONFIGURATION = "dnsservice";

    private DnsServers() {
    }

    /** @throws ConfigurationException naming a server that is not an address or a known name */
    static Resolver resolver(HierarchicalConfiguration<ImmutableNode> dnsservice) throws ConfigurationException {
        List<String> servers = new ArrayList<>();
        if (dnsservice.getBoolean("autodiscover", true)) {
            ResolverConfig.getCurrentConfig().servers().stream().map(InetSocketAddress::getHostString).forEach(servers::add);
        }
        servers.addAll(List.of(dnsservice.getStringArray("servers.server")));
        if (servers.isEmpty()) {
            servers.add("127.0.0.1");
        }
        try {
            return new ExtendedResolver(servers.toArray(String[]::new));
        } catch (UnknownHostException e) {
            throw new ConfigurationException(CONFIGURATION + ".xml: DNS server " + e.getMessage() + " is unknown", e);
        }
    }
}
