package io.sendonly.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ResolverConfig;

class DnsServersTest {
    @Test
    void firstShouldBeTheFirstConfiguredServerWithoutAutodiscover() {
        assertThat(DnsServers.first(dnsService("false", "127.0.0.80", "127.0.0.81"))).isEqualTo("127.0.0.80");
    }

    @Test
    void firstShouldBeTheSystemsServerWithAutodiscoverAsJamesOrdersThem() {
        String system = ResolverConfig.getCurrentConfig().servers().get(0).getHostString();

        assertThat(DnsServers.first(dnsService("true", "127.0.0.80"))).isEqualTo(system);
    }

    @Test
    void firstShouldBeLoopbackWhenNoServerIsKnown() {
        assertThat(DnsServers.first(dnsService("false"))).isEqualTo("127.0.0.1");
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
