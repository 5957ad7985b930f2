package io.sendonly.server.queue;

import javax.jms.ConnectionFactory;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.MessageProducer;
import javax.jms.Queue;
import javax.jms.Session;

import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQCacheableMailQueue;
import org.apache.james.queue.api.MailQueue.MailQueueException;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.MailQueueName;

/**
 * James's ActiveMQ mail queue with a flush that flushes (webadmin {@code PATCH /mailQueues/NAME/mails?delayed=true},
 * Postfix's {@code postqueue -f}). James's own stops at the first instant no message waits in its consumer, which
 * with one message prefetched comes after about one; it also holds every flushed message in one transaction, in
 * memory. This one takes each waiting message once (a selector skips those already marked for delivery), re-sends
 * it marked for delivery now, and commits every {@value #BATCH} messages.
 */
class FlushableMailQueue extends ActiveMQCacheableMailQueue {
    private static final int BATCH = 200;
    /** How long the broker may take to hand the next message over before the queue counts as flushed. */
    private static final long RECEIVE_TIMEOUT_MS = 1000;
    private static final String NOT_YET_FLUSHED = FORCE_DELIVERY + " IS NULL OR " + FORCE_DELIVERY + " = false";

    FlushableMailQueue(ConnectionFactory connectionFactory, MailQueueItemDecoratorFactory decoratorFactory, MailQueueName name,
                       MetricFactory metricFactory, GaugeRegistry gaugeRegistry) {
        // useBlob false: the message in the journal, not in a blob file beside it. The journal is synced to disk and
        // its writes are batched, where a blob file costs a create, a write and a delete per queue hop, is never
        // synced, and is named by an absolute path that breaks when var/ moves.
        super(connectionFactory, decoratorFactory, name, false, metricFactory, gaugeRegistry);
    }

    @Override
    public long flush() throws MailQueueException {
        long count = 0;
        try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
            Queue queue = session.createQueue(queueName.asString());
            // A prefetch of one batch: without the prefetch extension (EmbeddedBroker), the broker pushes no more
            // than the prefetch until a commit acknowledges them.
            Queue batches = session.createQueue(queueName.asString() + "?consumer.prefetchSize=" + BATCH);
            try (MessageConsumer consumer = session.createConsumer(batches, NOT_YET_FLUSHED);
                 MessageProducer producer = session.createProducer(queue)) {
                for (Message message = consumer.receive(RECEIVE_TIMEOUT_MS); message != null; message = consumer.receive(RECEIVE_TIMEOUT_MS)) {
                    Message flushed = copy(session, message);
                    flushed.setBooleanProperty(FORCE_DELIVERY, true);
                    producer.send(flushed, message.getJMSDeliveryMode(), message.getJMSPriority(), message.getJMSExpiration());
                    if (++count % BATCH == 0) {
                        session.commit();
                    }
                }
                session.commit();
                return count;
            }
        } catch (Exception e) {
            throw new MailQueueException("Unable to flush queue " + queueName.asString() + " (" + count + " flushed)", e);
        }
    }
}
