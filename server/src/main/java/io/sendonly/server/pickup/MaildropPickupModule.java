package io.sendonly.server.pickup;

import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.ProvidesIntoSet;

/** Starts the maildrop pickup once the queues and the mailet container are up. */
public class MaildropPickupModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(MaildropPickup.class).in(Scopes.SINGLETON);
    }

    @ProvidesIntoSet
    InitializationOperation startPickup(MaildropPickup pickup) {
        return InitilizationOperationBuilder
            .forClass(MaildropPickup.class)
            .init(pickup::start);
    }
}
