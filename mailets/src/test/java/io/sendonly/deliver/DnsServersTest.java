package io.sendonly.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.SimpleResolver;

class DnsServersTest {
    @Test
    void resolverShouldAskTheListedServersWhenAutodiscoveryIsOff() throws Exception {
        BaseHierarchicalConfiguration dnsservice = new BaseHierarchicalConfiguration();
        dnsservice.addProperty("autodiscover", "false");
        dnsservice.addProperty("servers.server", List.of("127.0.0.70", "127.0.0.71"));

        assertThat(servers(dnsservice)).containsExactly(new InetSocketAddress("127.0.0.70", 53), new InetSocketAddress("127.0.0.71", 53));
    }

    @Test
    void resolverShouldAskTheLocalHostWhenNoServerIsKnown() throws Exception {
        BaseHierarchicalConfiguration dnsservice = new BaseHierarchicalConfiguration();
        dnsservice.addProperty("autodiscover", "false");

        assertThat(servers(dnsservice)).containsExactly(new InetSocketAddress("127.0.0.1", 53));
    }

    private static List<InetSocketAddress> servers(BaseHierarchicalConfiguration dnsservice) throws Exception {
        ExtendedResolver resolver = (ExtendedResolver) DnsServers.resolver(dnsservice);
        return Arrays.stream(resolver.getResolvers()).map(server -> ((SimpleResolver) server).getAddress()).toList();
    }
}
