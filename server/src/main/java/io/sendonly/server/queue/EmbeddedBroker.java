package io.sendonly.server.queue;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.jms.ConnectionFactory;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.jmx.ManagementContext;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;
import org.apache.james.filesystem.api.FileSystem;

/**
 * An in-JVM ActiveMQ broker with a KahaDB journal synced to disk on every write. Unlike James's
 * {@code EmbeddedActiveMQ} it opens no TCP connector: nothing outside this process can read or inject queued mail.
 */
public class EmbeddedBroker {
    static final String KAHADB_LOCATION = "file://var/store/activemq/brokers/KahaDB";
    static final String BROKERS_LOCATION = "file://var/store/activemq/brokers";
    private static final String BROKER_NAME = "sendonly";

    private final BrokerService broker;
    private final ActiveMQConnectionFactory connectionFactory;

    @Inject
    EmbeddedBroker(FileSystem fileSystem) throws Exception {
        this.broker = startBroker(fileSystem);
        this.connectionFactory = QueueClient.connectionFactory("vm://" + BROKER_NAME + "?create=false");
    }

    ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    @PreDestroy
    public void stop() throws Exception {
        broker.stop();
        broker.waitUntilStopped();
    }

    private static BrokerService startBroker(FileSystem fileSystem) throws Exception {
        KahaDBPersistenceAdapter kahaDB = new KahaDBPersistenceAdapter();
        kahaDB.setDirectory(fileSystem.getFile(KAHADB_LOCATION));
        kahaDB.setEnableJournalDiskSyncs(true);
        // Stored, then dispatched: concurrent store and dispatch has had races that skip a message until restart
        // (AMQ-9625), and storing in the sending thread lets KahaDB batch the journal writes of concurrent senders.
        kahaDB.setConcurrentStoreAndDispatchQueues(false);

        BrokerService broker = new BrokerService();
        broker.setBrokerName(BROKER_NAME);
        broker.setPersistent(true);
        broker.setDataDirectoryFile(fileSystem.getFile(BROKERS_LOCATION));
        broker.setPersistenceAdapter(kahaDB);
        broker.setUseJmx(Boolean.getBoolean("sendonly.broker.jmx"));
        ManagementContext managementContext = new ManagementContext();
        managementContext.setCreateConnector(false);
        broker.setManagementContext(managementContext);
        broker.setUseShutdownHook(false);
        broker.setSchedulerSupport(false);
        MailQueuePolicy.apply(broker);
        broker.start();
        broker.waitUntilStarted();
        return broker;
    }
}
