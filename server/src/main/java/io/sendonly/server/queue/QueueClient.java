package io.sendonly.server.queue;

import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.activemq.ActiveMQPrefetchPolicy;

/** The ActiveMQ client as James's mail queue needs it, whichever broker it talks to. */
final class QueueClient {
    private QueueClient() {
    }

    static ActiveMQConnectionFactory connectionFactory(String brokerUrl) {
        ActiveMQConnectionFactory connectionFactory = new ActiveMQConnectionFactory(brokerUrl);
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
        return connectionFactory;
    }
}
