package io.sendonly.server.webadmin;

import java.io.FileNotFoundException;
import java.io.IOException;

import javax.inject.Singleton;

import org.apache.commons.configuration2.BaseConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.utils.PropertiesProvider;
import org.apache.james.webadmin.WebAdminServer;
import org.apache.james.webadmin.authentication.AuthenticationFilter;
import org.apache.james.webadmin.authentication.NoAuthenticationFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;

/** Overrides James's webadmin server and authentication with ours (installed over {@code WebAdminServerModule}). */
public class WebAdminAccessModule extends AbstractModule {
    private static final Logger LOGGER = LoggerFactory.getLogger(WebAdminAccessModule.class);

    @Override
    protected void configure() {
        bind(GuardedWebAdminServer.class).in(Scopes.SINGLETON);
        bind(WebAdminServer.class).to(GuardedWebAdminServer.class);
    }

    @Provides
    @Singleton
    WebAdminAccess access(PropertiesProvider properties) throws ConfigurationException {
        try {
            return WebAdminAccess.from(properties.getConfiguration("webadmin"));
        } catch (FileNotFoundException e) {
            return WebAdminAccess.from(new BaseConfiguration());
        }
    }

    @Provides
    @Singleton
    ConfWriteLock writeLock(FileSystem fileSystem) throws IOException {
        return new ConfWriteLock(fileSystem.getBasedir().toPath().resolve(ConfWriteLock.FILE), ConfWriteLock.CONFIGURATION_ROUTES);
    }

    @Provides
    @Singleton
    AuthenticationFilter authentication(WebAdminAccess access, FileSystem fileSystem) throws IOException {
        if (!access.authenticated()) {
            LOGGER.warn("webadmin authentication is off ({}=none in webadmin.properties): every local user, and every "
                + "program that can reach its port, can change routes, keys and trusted networks", WebAdminAccess.AUTHENTICATION);
            return new NoAuthenticationFilter();
        }
        return new TokenAuthenticationFilter(OperatorToken.loadOrCreate(fileSystem.getBasedir().toPath().resolve(OperatorToken.FILE)));
    }
}
