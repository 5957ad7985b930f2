package io.sendonly.server.queue;

import javax.annotation.PreDestroy;
import javax.inject.Inject;
import javax.jms.ConnectionFactory;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQPrefetchPolicy;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.jmx.ManagementContext;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.broker.region.policy.PolicyMap;
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
        ActiveMQPrefetchPolicy prefetchPolicy = new ActiveMQPrefetchPolicy();
        prefetchPolicy.setQueuePrefetch(0);
        prefetchPolicy.setTopicPrefetch(0);
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
        // Stored before dispatched: with concurrent store and dispatch, ActiveMQ 5.17 can miss a message on dispatch
        // and leave it in the queue until the next restart (AMQ-9625, seen here as one mail in 200 stuck after kill -9).
        kahaDB.setConcurrentStoreAndDispatchQueues(false);

        BrokerService broker = new BrokerService();
        broker.setBrokerName(BROKER_NAME);
        broker.setPersistent(true);
        broker.setDataDirectoryFile(fileSystem.getFile(BROKERS_LOCATION));
        broker.setPersistenceAdapter(kahaDB);
        broker.setUseJmx(false);
        ManagementContext managementContext = new ManagementContext();
        managementContext.setCreateConnector(false);
        broker.setManagementContext(managementContext);
        broker.setUseShutdownHook(false);
        broker.setSchedulerSupport(false);
        broker.setDestinationPolicy(storeOnlyCursors());
        // Queued mail the broker may keep in memory; beyond it, cursors read from the journal. Without a limit the
        // default (1 GB) would let a backlog fill a small heap.
        broker.getSystemUsage().getMemoryUsage().setLimit(MEMORY_LIMIT_BYTES);
        broker.start();
        broker.waitUntilStarted();
        return broker;
    }

    /**
     * Queue cursors that always page from the journal, never from a memory cache. ActiveMQ 5.17 switches the cache
     * off and on as a queue fills and drains (a backlog, a restart with mail queued), and a message added during
     * the switch can be skipped by dispatch and stay queued until the next restart (AMQ-9625 and its kin): one
     * acknowledged mail in a few hundred was seen stuck so after kill -9 and restart, even storing before
     * dispatching.
     */
    private static PolicyMap storeOnlyCursors() {
        PolicyEntry queues = new PolicyEntry();
        queues.setQueue(">");
        queues.setUseCache(false);
        PolicyMap policies = new PolicyMap();
        policies.setDefaultEntry(queues);
        return policies;
    }
}
