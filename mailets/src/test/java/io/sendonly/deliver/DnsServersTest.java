package io.sendonly.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SimpleResolver;

class DnsServersTest {
    @Test
    void serversShouldBeTheConfiguredOnesInOrderWithoutAutodiscover() {
        assertThat(DnsServers.servers(dnsService("false", "127.0.0.80", " 127.0.0.81 ")))
            .containsExactly("127.0.0.80", "127.0.0.81");
    }

    @Test
    void serversShouldStartWithTheSystemsWithAutodiscoverAsJamesOrdersThem() {
        String system = ResolverConfig.getCurrentConfig().servers().get(0).getHostString();

        assertThat(DnsServers.servers(dnsService("true", "127.0.0.80"))).startsWith(system).endsWith("127.0.0.80");
    }

    @Test
    void serversShouldBeLoopbackWhenNoneIsKnown() {
        assertThat(DnsServers.servers(dnsService("false"))).containsExactly("127.0.0.1");
    }

    @Test
    void resolverShouldAskEachServerOnPort53() {
        ExtendedResolver resolver = (ExtendedResolver) DnsServers.resolver(List.of("127.0.0.70", "127.0.0.71"));

        assertThat(Arrays.stream(resolver.getResolvers()).map(server -> ((SimpleResolver) server).getAddress()))
            .containsExactly(new InetSocketAddress("127.0.0.70", 53), new InetSocketAddress("127.0.0.71", 53));
    }

    /** As {@code <autodiscover>AUTODISCOVER</autodiscover><servers><server>...} of dnsservice.xml. */
    private static BaseHierarchicalConfiguration dnsService(String autodiscover, String... servers) {
        BaseHierarchicalConfiguration configuration = new BaseHierarchicalConfiguration();
        configuration.addProperty("autodiscover", autodiscover);
        for (String server : servers) {
            configuration.addProperty("servers.server", server);
        }
        return configuration;
    }
}
