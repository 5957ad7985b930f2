package io.sendonly.server.accept;

import java.net.InetSocketAddress;
import java.util.List;

import javax.inject.Inject;

import org.apache.commons.configuration2.BaseHierarchicalConfiguration;
import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.dnsservice.api.DNSService;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.protocols.lib.handler.ProtocolHandlerLoader;
import org.apache.james.protocols.lib.netty.AbstractConfigurableAsyncServer;
import org.apache.james.smtpserver.netty.SMTPServer;
import org.apache.james.smtpserver.netty.SMTPServerFactory;

import com.google.common.collect.ImmutableList;

import io.sendonly.metrics.DeliveryMetrics;

/**
 * James's SMTP server factory, with {@code <bind>} parsed by {@link ListenAddresses} so that the default
 * {@code 127.0.0.1:25,[::1]:25} listens on both loopback addresses, making {@link SendOnlySMTPServer}s.
 */
public class DualStackSMTPServerFactory extends SMTPServerFactory {
    private static final String BIND = "bind";

    private final DeliveryMetrics deliveryMetrics;

    @Inject
    public DualStackSMTPServerFactory(DNSService dns, ProtocolHandlerLoader loader, FileSystem fileSystem, MetricFactory metricFactory,
                                      DeliveryMetrics deliveryMetrics) {
        super(dns, loader, fileSystem, metricFactory);
        this.deliveryMetrics = deliveryMetrics;
    }

    @Override
    protected List<AbstractConfigurableAsyncServer> createServers(HierarchicalConfiguration<ImmutableNode> config) throws Exception {
        ImmutableList.Builder<AbstractConfigurableAsyncServer> servers = ImmutableList.builder();
        for (HierarchicalConfiguration<ImmutableNode> serverConfig : config.configurationsAt("smtpserver")) {
            List<InetSocketAddress> addresses = listenAddresses(serverConfig);
            // James's own parser only reads IPv4: give it the first address, then set the whole list.
            HierarchicalConfiguration<ImmutableNode> jamesConfig = new BaseHierarchicalConfiguration(serverConfig);
            jamesConfig.setProperty(BIND, "127.0.0.1:" + addresses.get(0).getPort());

            SMTPServer server = new SendOnlySMTPServer(smtpMetrics, ListenerLimits.from(serverConfig), deliveryMetrics);
            server.setDnsService(dns);
            server.setProtocolHandlerLoader(loader);
            server.setFileSystem(fileSystem);
            server.configure(jamesConfig);
            server.setListenAddresses(addresses.toArray(InetSocketAddress[]::new));
            servers.add(server);
        }
        return servers.build();
    }

    private static List<InetSocketAddress> listenAddresses(HierarchicalConfiguration<ImmutableNode> serverConfig) throws ConfigurationException {
        String bind = serverConfig.getString(BIND, null);
        if (bind == null) {
            throw new ConfigurationException("smtpserver.xml: <" + BIND + "> is required, e.g. 127.0.0.1:25,[::1]:25");
        }
        try {
            return ListenAddresses.parse(bind);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException("smtpserver.xml: " + e.getMessage(), e);
        }
    }
}
