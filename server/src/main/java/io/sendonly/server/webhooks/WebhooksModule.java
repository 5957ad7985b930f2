package io.sendonly.server.webhooks;

import org.apache.james.utils.InitializationOperation;
import org.apache.james.utils.InitilizationOperationBuilder;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import com.google.inject.multibindings.ProvidesIntoSet;

/** Starts the webhooks of conf/events.xml. */
public class WebhooksModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(WebhookPublisher.class).in(Scopes.SINGLETON);
    }

    @ProvidesIntoSet
    InitializationOperation startWebhooks(WebhookPublisher publisher) {
        return InitilizationOperationBuilder
            .forClass(WebhookPublisher.class)
            .init(publisher::start);
    }
}
