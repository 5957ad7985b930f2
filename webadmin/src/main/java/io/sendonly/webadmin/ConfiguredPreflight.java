package io.sendonly.webadmin;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.inject.Singleton;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.james.server.core.configuration.ConfigurationProvider;
import org.xbill.DNS.Resolver;

import com.google.common.net.InetAddresses;

import io.sendonly.conf.DeclaredComponents;
import io.sendonly.config.TableFile;
import io.sendonly.deliver.DnsServers;
import io.sendonly.deliver.HeloName;
import io.sendonly.deliver.RouteDelivery;
import io.sendonly.dkim.DkimTablesEditor;
import io.sendonly.dkim.KeyTable;
import io.sendonly.dkim.SigningTable;
import io.sendonly.preflight.DnsjavaDns;
import io.sendonly.preflight.EgressAddress;
import io.sendonly.preflight.JspfEvaluator;
import io.sendonly.preflight.Preflight;
import io.sendonly.preflight.Report;
import io.sendonly.preflight.SendingDomains;
import io.sendonly.route.NextHop;
import io.sendonly.route.RouteTable;

/**
 * The {@link Preflight} of the running server's sending domains, set up once from its configuration: the egress
 * address ({@code <egressAddress>} of {@code conf/preflight.xml}, else the address this host reaches the internet
 * from), the DNS servers of {@code dnsservice.xml}, the HELO name delivery uses (RouteDelivery's {@code heloName},
 * else {@code <helloName>} of {@code smtpserver.xml}). The KeyTable, SigningTable, routes and default domain are read
 * at each run, as they change without a restart.
 */
@Singleton
public class ConfiguredPreflight {
    public static final String CONFIGURATION = "preflight";
    public static final String EGRESS_ADDRESS = "egressAddress";
    private static final Duration DNS_TIMEOUT = Duration.ofSeconds(5);

    private final ConfiguredFiles files;
    private final DomainList domainList;
    private final Preflight preflight;

    @Inject
    public ConfiguredPreflight(ConfigurationProvider configuration, ConfiguredFiles files, DomainList domainList)
        throws ConfigurationException {
        this.files = files;
        this.domainList = domainList;
        Optional<InetAddress> egress = egressAddress(configuration.getConfiguration(CONFIGURATION));
        Resolver resolver = DnsServers.resolver(DnsServers.of(configuration));
        resolver.setTimeout(DNS_TIMEOUT);
        String heloName = DeclaredComponents.mailets(configuration).parameter(RouteDelivery.class.getName(), RouteDelivery.HELO_NAME)
            .orElse(HeloName.of(configuration));
        this.preflight = new Preflight(new DnsjavaDns(resolver), new JspfEvaluator(resolver), egress, heloName);
    }

    /** Every sending domain. */
    public Report run() throws IOException {
        return preflight.run(sendingDomains().all());
    }

    /** That domain alone; empty when it is not a sending domain. */
    public Optional<Report> run(String domain) throws IOException {
        return sendingDomains().find(domain).map(sending -> preflight.run(List.of(sending)));
    }

    private SendingDomains sendingDomains() throws IOException {
        DkimTablesEditor tables = files.dkimTables();
        Path keyTable = tables.keyTable().file();
        boolean signing = Files.exists(keyTable) && Files.exists(tables.signingTable().file());
        Path routesFile = files.routes();
        RouteTable routes = RouteTable.parse(Files.exists(routesFile) ? TableFile.read(routesFile) : List.of(), routesFile.toString());
        return new SendingDomains(signing ? tables.readKeyTable() : KeyTable.parse(List.of(), keyTable.toString()),
            signing ? tables.readSigningTable() : SigningTable.parse(List.of(), keyTable.toString(), true),
            keyTable.toAbsolutePath().getParent(), defaultDomain(),
            domain -> routes.senderRoute(domain).smartHosts().stream().map(NextHop::host).toList());
    }

    private String defaultDomain() throws IOException {
        try {
            return domainList.getDefaultDomain().asString();
        } catch (DomainListException e) {
            throw new IOException("the default domain: " + e.getMessage(), e);
        }
    }

    /** The configured address, else the one found toward the internet; a value that is not an address stops start-up. */
    private static Optional<InetAddress> egressAddress(HierarchicalConfiguration<ImmutableNode> settings) throws ConfigurationException {
        for (Iterator<String> keys = settings.getKeys(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals(EGRESS_ADDRESS)) {
                throw new ConfigurationException(CONFIGURATION + ".xml: unknown element <" + key + ">; expected <" + EGRESS_ADDRESS + ">");
            }
        }
        String value = settings.getString(EGRESS_ADDRESS, "").trim();
        if (value.isEmpty()) {
            return EgressAddress.discover();
        }
        try {
            return Optional.of(InetAddresses.forString(value));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(CONFIGURATION + ".xml: <" + EGRESS_ADDRESS + ">: '" + value
                + "': expected the IPv4 or IPv6 address this host's mail leaves from");
        }
    }
}
