package io.sendonly.server.queue;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.jms.ConnectionFactory;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQPrefetchPolicy;
import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.jmx.ManagementContext;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.broker.region.policy.PolicyMap;
import org.apache.activemq.plugin.StatisticsBrokerPlugin;
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
    private static final long MEMORY_LIMIT_BYTES = 32L * 1024 * 1024;

    private final BrokerService broker;
    private final ActiveMQConnectionFactory connectionFactory;

    @Inject
    EmbeddedBroker(FileSystem fileSystem) throws Exception {
        this.broker = startBroker(fileSystem);
        this.connectionFactory = new ActiveMQConnectionFactory("vm://" + BROKER_NAME + "?create=false");
        connectionFactory.setTrustAllPackages(false);
        // One message pushed per consumer, not pulled (prefetch 0, James's choice): James opens a consumer per
        // dequeue and waits 10 s; with pulls, the broker's timeout answer can cross a message, and the consumer then
        // waits for an answer that never comes, the last mail of a burst stuck in the queue until restart (seen in
        // a thread dump: the only outgoing consumer parked in FifoMessageDispatchChannel.dequeue). A pushed message
        // that its consumer does not take goes back to the queue when the consumer closes. A consumer that wants
        // more asks for it (the flush: FlushableMailQueue).
        ActiveMQPrefetchPolicy prefetchPolicy = new ActiveMQPrefetchPolicy();
        prefetchPolicy.setQueuePrefetch(1);
        prefetchPolicy.setTopicPrefetch(1);
        connectionFactory.setPrefetchPolicy(prefetchPolicy);
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
        // Answers James's queue-size request (webadmin GET /mailQueues/NAME) with the broker's count. Without it James
        // waits 2 s for an answer, then counts by browsing, which stops short once the queue no longer fits in memory.
        broker.setPlugins(new BrokerPlugin[] {new StatisticsBrokerPlugin()});
        broker.setDestinationPolicy(queuePolicy());
        // Queued mail the broker may keep in memory; beyond it, cursors read from the journal. Without a limit the
        // default (1 GB) would let a backlog fill a small heap.
        broker.getSystemUsage().getMemoryUsage().setLimit(MEMORY_LIMIT_BYTES);
        broker.start();
        broker.waitUntilStarted();
        return broker;
    }

    private static PolicyMap queuePolicy() {
        PolicyEntry queues = new PolicyEntry();
        queues.setQueue(">");
        // No prefetch extension: a received, uncommitted mail counts against its consumer's prefetch. With it, a
        // consumer busy with its one mail (James's dequeue) had a second pushed to it and held for the length of that
        // delivery (JMX: two dispatched per busy consumer), then handed back when the consumer closed; and a flush
        // batch could not be bounded by its prefetch.
        queues.setUsePrefetchExtension(false);
        PolicyMap policies = new PolicyMap();
        policies.setDefaultEntry(queues);
        return policies;
    }
}
