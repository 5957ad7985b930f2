package io.sendonly.server.queue;

import java.io.FileNotFoundException;
import java.nio.file.Path;

import javax.inject.Singleton;
import javax.jms.ConnectionFactory;

import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.healthcheck.HealthCheck;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQHealthCheck;
import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;
import org.apache.james.queue.api.MailQueue;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.james.utils.PropertiesProvider;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.multibindings.Multibinder;

/**
 * James's JMS mail queue on the engine {@code conf/queue.properties} names ({@link QueueEngine}): by default an
 * embedded ActiveMQ broker persisted in KahaDB under {@code var/store/activemq}, where a mail answered 250 survives
 * kill -9; or an external ActiveMQ broker pair shared by every node. Replaces the upstream
 * {@code queue-activemq-guice} glue, which does not resolve.
 */
public class DurableQueueModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(EmbeddedBroker.class).in(Scopes.SINGLETON);
        bind(MailQueuesShutdown.class).asEagerSingleton();
        Multibinder.newSetBinder(binder(), HealthCheck.class).addBinding().to(ActiveMQHealthCheck.class);
    }

    @Provides
    @Singleton
    QueueEngine queueEngine(PropertiesProvider properties, FileSystem fileSystem) throws ConfigurationException, FileNotFoundException {
        Path home = fileSystem.getBasedir().toPath();
        try {
            return QueueEngine.from(properties.getConfiguration("queue"), home);
        } catch (FileNotFoundException e) {
            return QueueEngine.embedded();
        }
    }

    @Provides
    @Singleton
    ConnectionFactory connectionFactory(QueueConnections connections) {
        return connections.connectionFactory();
    }

    @Provides
    @Singleton
    ActiveMQMailQueueFactory activeMQMailQueueFactory(ConnectionFactory connectionFactory, MailQueueItemDecoratorFactory decoratorFactory,
                                                      MetricFactory metricFactory, GaugeRegistry gaugeRegistry) {
        ActiveMQMailQueueFactory factory = new FlushableMailQueueFactory(connectionFactory, decoratorFactory, metricFactory, gaugeRegistry);
        factory.setUseJMX(false);
        factory.init();
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends ManageableMailQueue> manageableMailQueueFactory(ActiveMQMailQueueFactory factory) {
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<?> mailQueueFactory(ActiveMQMailQueueFactory factory) {
        return factory;
    }

    @Provides
    @Singleton
    MailQueueFactory<? extends MailQueue> mailQueueFactoryGenerics(ActiveMQMailQueueFactory factory) {
        return factory;
    }
}
