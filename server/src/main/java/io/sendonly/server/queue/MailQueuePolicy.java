package io.sendonly.server.queue;

import org.apache.activemq.broker.BrokerPlugin;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.region.policy.PolicyEntry;
import org.apache.activemq.broker.region.policy.PolicyMap;
import org.apache.activemq.plugin.StatisticsBrokerPlugin;

/**
 * What a broker needs for James's mail queues as we use them: the embedded broker applies it, and an external broker
 * must be configured the same way (docs/scale-out.md gives the {@code activemq.xml} lines).
 */
public final class MailQueuePolicy {
    private static final long MEMORY_LIMIT_BYTES = 32L * 1024 * 1024;

    private MailQueuePolicy() {
    }

    public static void apply(BrokerService broker) {
        // Answers James's queue-size request (webadmin GET /mailQueues/NAME) with the broker's count. Without it James
        // waits 2 s for an answer, then counts by browsing, which stops short once the queue no longer fits in memory.
        broker.setPlugins(new BrokerPlugin[] {new StatisticsBrokerPlugin()});
        broker.setDestinationPolicy(queuePolicy());
        // Queued mail the broker may keep in memory; beyond it, cursors read from the journal. Without a limit the
        // default (1 GB) would let a backlog fill a small heap.
        broker.getSystemUsage().getMemoryUsage().setLimit(MEMORY_LIMIT_BYTES);
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
