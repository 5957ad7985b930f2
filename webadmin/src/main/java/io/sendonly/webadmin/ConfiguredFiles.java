package io.sendonly.webadmin;

import java.io.FileNotFoundException;
import java.nio.file.Path;

import javax.inject.Inject;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.server.core.configuration.ConfigurationProvider;

import io.sendonly.accept.RelayOnlyForTrustedClients;
import io.sendonly.conf.DeclaredComponents;
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
        DeclaredComponents mailets = DeclaredComponents.mailets(configuration);
        this.routes = fileSystem.getFile(mailets.parameter(RouteDelivery.class.getName(), RouteDelivery.ROUTES).orElse(ROUTES)).toPath();
        TableReference signingTable = TableReference.parse(
            mailets.parameter(SignDkim.class.getName(), SignDkim.SIGNING_TABLE).orElse(SIGNING_TABLE));
        this.dkimTables = new DkimTablesEditor(
            fileSystem.getFile(mailets.parameter(SignDkim.class.getName(), SignDkim.KEY_TABLE).orElse(KEY_TABLE)).toPath(),
            new TableReference(fileSystem.getFile(signingTable.location()).toPath().toString(), signingTable.wildcards()));
        this.trustedHosts = fileSystem.getFile(DeclaredComponents.smtpHandlers(configuration)
            .parameter(RelayOnlyForTrustedClients.class.getName(), RelayOnlyForTrustedClients.TRUSTED_HOSTS).orElse(TRUSTED_HOSTS)).toPath();
        this.tlsPolicy = fileSystem.getFile(mailets.parameter(RouteDelivery.class.getName(), RouteDelivery.TLS_POLICY).orElse(TLS_POLICY))
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
}
