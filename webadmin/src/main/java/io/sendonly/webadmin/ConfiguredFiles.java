package io.sendonly.webadmin;

import java.io.FileNotFoundException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.commons.configuration2.HierarchicalConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.configuration.ConfigurationProvider;

import io.sendonly.accept.RelayOnlyForTrustedClients;
import io.sendonly.config.TableReference;
import io.sendonly.deliver.RouteDelivery;
import io.sendonly.dkim.DkimTablesEditor;
import io.sendonly.sign.SignDkim;

/**
 * The table files the running server reads, as its configuration names them: RouteDelivery's {@code <routes>} and
 * SignDkim's {@code <keyTable>} and {@code <signingTable>} in {@code mailetcontainer.xml}, RelayOnlyForTrustedClients'
 * {@code <trustedHosts>} in {@code smtpserver.xml}; the documented default where a parameter is not set. Read once,
 * as the components read their parameters once, at start.
 */
public class ConfiguredFiles {
    static final String ROUTES = "file://conf/routes";
    static final String KEY_TABLE = "file://conf/dkim/KeyTable";
    static final String SIGNING_TABLE = TableReference.REFILE + "file://conf/dkim/SigningTable";
    static final String TRUSTED_HOSTS = "file://conf/TrustedHosts";
    static final String TLS_POLICY = "file://conf/tls_policy";

    private final Path routes;
    private final DkimTablesEditor dkimTables;
    private final Path trustedHosts;
    private final Path tlsPolicy;

    @Inject
    public ConfiguredFiles(ConfigurationProvider configuration, FileSystem fileSystem) throws ConfigurationException, FileNotFoundException {
        List<HierarchicalConfiguration<ImmutableNode>> mailets = configuration.getConfiguration("mailetcontainer")
            .configurationsAt("processors.processor").stream()
            .flatMap(processor -> processor.configurationsAt("mailet").stream()).toList();
        List<HierarchicalConfiguration<ImmutableNode>> smtpHandlers = configuration.getConfiguration("smtpserver")
            .configurationsAt("smtpserver").stream()
            .flatMap(server -> server.configurationsAt("handlerchain.handler").stream()).toList();
        this.routes = fileSystem.getFile(parameter(mailets, RouteDelivery.class.getName(), RouteDelivery.ROUTES).orElse(ROUTES)).toPath();
        TableReference signingTable = TableReference.parse(
            parameter(mailets, SignDkim.class.getName(), SignDkim.SIGNING_TABLE).orElse(SIGNING_TABLE));
        this.dkimTables = new DkimTablesEditor(
            fileSystem.getFile(parameter(mailets, SignDkim.class.getName(), SignDkim.KEY_TABLE).orElse(KEY_TABLE)).toPath(),
            new TableReference(fileSystem.getFile(signingTable.location()).toPath().toString(), signingTable.wildcards()));
        this.trustedHosts = fileSystem.getFile(parameter(smtpHandlers, RelayOnlyForTrustedClients.class.getName(),
            RelayOnlyForTrustedClients.TRUSTED_HOSTS).orElse(TRUSTED_HOSTS)).toPath();
        this.tlsPolicy = fileSystem.getFile(parameter(mailets, RouteDelivery.class.getName(), RouteDelivery.TLS_POLICY).orElse(TLS_POLICY))
            .toPath();
    }

    public Path routes() {
        return routes;
    }

    public DkimTablesEditor dkimTables() {
        return dkimTables;
    }

    public Path trustedHosts() {
        return trustedHosts;
    }

    public Path tlsPolicy() {
        return tlsPolicy;
    }

    /** The first component of that class that sets the parameter, as a trimmed value. */
    private static Optional<String> parameter(List<HierarchicalConfiguration<ImmutableNode>> components, String className,
                                              String name) {
        return components.stream().filter(component -> className.equals(component.getString("[@class]")))
            .map(component -> component.getString(name, "").trim()).filter(value -> !value.isEmpty()).findFirst();
    }
}
