package io.sendonly.server.preflight;

import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.ProvidesIntoSet;

/** Logs the preflight's summary once the server is up (in the background). */
public class PreflightModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(StartupPreflight.class).in(Scopes.SINGLETON);
    }

    @ProvidesIntoSet
    InitializationOperation startPreflight(StartupPreflight preflight) {
        return InitilizationOperationBuilder
            .forClass(StartupPreflight.class)
            .init(preflight::start);
    }
}
