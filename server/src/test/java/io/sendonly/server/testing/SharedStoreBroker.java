package io.sendonly.server.testing;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.security.AuthenticationUser;
import org.apache.activemq.security.SimpleAuthenticationPlugin;
import org.apache.activemq.store.SharedFileLocker;
import org.apache.activemq.store.kahadb.KahaDBPersistenceAdapter;

import io.sendonly.server.queue.MailQueuePolicy;

/**
 * One ActiveMQ (Classic) broker of a shared-store pair, run as its own process by {@link BrokerProcess}: the broker
 * holding the store's file lock serves; the other waits for the lock, polling every {@value #LOCK_POLL_MS} ms, and
 * opens its port once it has it. Configured as docs/scale-out.md tells operators to configure theirs.
 * <p>Arguments: {@code HOST PORT STORE USER}; the password comes in {@code BROKER_PASSWORD}, not on the command line.
 */
public final class SharedStoreBroker {
    static final long LOCK_POLL_MS = 500;

    private SharedStoreBroker() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        Path store = Path.of(args[2]);

        KahaDBPersistenceAdapter kahaDB = new KahaDBPersistenceAdapter();
        kahaDB.setDirectory(store.resolve("kahadb").toFile());
        kahaDB.setEnableJournalDiskSyncs(true);
        kahaDB.setConcurrentStoreAndDispatchQueues(false);
        SharedFileLocker locker = new SharedFileLocker();
        locker.setLockAcquireSleepInterval(LOCK_POLL_MS);
        kahaDB.setLocker(locker);

        BrokerService broker = new BrokerService();
        broker.setBrokerName("sendonly-" + port);
        broker.setDataDirectoryFile(store.resolve("broker-" + port).toFile());
        broker.setPersistenceAdapter(kahaDB);
        broker.setUseJmx(false);
        broker.setSchedulerSupport(false);
        MailQueuePolicy.apply(broker);
        SimpleAuthenticationPlugin authentication = new SimpleAuthenticationPlugin(
            List.of(new AuthenticationUser(args[3], System.getenv("BROKER_PASSWORD"), "nodes")));
        BrokerPlugin[] plugins = broker.getPlugins();
        BrokerPlugin[] withAuthentication = Arrays.copyOf(plugins, plugins.length + 1);
        withAuthentication[plugins.length] = authentication;
        broker.setPlugins(withAuthentication);
        broker.addConnector("tcp://" + host + ":" + port);
        broker.start();
        broker.waitUntilStopped();
    }
}
