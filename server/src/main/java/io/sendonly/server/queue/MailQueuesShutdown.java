package io.sendonly.server.queue;

import javax.annotation.PreDestroy;
import javax.inject.Inject;

import org.apache.james.queue.activemq.ActiveMQMailQueueFactory;

/**
 * Closes the mail queues' senders and receivers at stop, before the embedded broker they talk to (James stops in the
 * reverse order of making, and this is made after the broker): the queue factory, made by a provider method, gets no
 * stop call of its own, and its receivers would otherwise find the broker gone and log failures.
 */
class MailQueuesShutdown {
    private final ActiveMQMailQueueFactory queues;

    @Inject
    MailQueuesShutdown(ActiveMQMailQueueFactory queues) {
        this.queues = queues;
    }

    @PreDestroy
    public void stop() {
        queues.destroy();
    }
}
