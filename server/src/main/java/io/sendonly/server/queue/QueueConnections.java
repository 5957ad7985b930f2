package io.sendonly.server.queue;

import javax.inject.Inject;
import javax.inject.Provider;
import javax.jms.ConnectionFactory;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JMS connections of the configured {@link QueueEngine}: the embedded broker, started only when it is the engine,
 * or the external broker pair, reached through the failover transport. With the external engine unreachable, start-up
 * waits and retries (the failover transport's reconnect loop, logged), so nodes may start before their brokers.
 */
class QueueConnections {
    private static final Logger LOGGER = LoggerFactory.getLogger(QueueConnections.class);

    private final QueueEngine engine;
    private final Provider<EmbeddedBroker> embeddedBroker;

    @Inject
    QueueConnections(QueueEngine engine, Provider<EmbeddedBroker> embeddedBroker) {
        this.engine = engine;
        this.embeddedBroker = embeddedBroker;
    }

    ConnectionFactory connectionFactory() {
        LOGGER.info("mail queues: {}", engine);
        return engine.brokerUrl().<ConnectionFactory>map(this::external).orElseGet(() -> embeddedBroker.get().connectionFactory());
    }

    private ActiveMQConnectionFactory external(String brokerUrl) {
        ActiveMQConnectionFactory connectionFactory = QueueClient.connectionFactory(brokerUrl);
        engine.user().ifPresent(connectionFactory::setUserName);
        engine.password().ifPresent(connectionFactory::setPassword);
        return connectionFactory;
    }
}
