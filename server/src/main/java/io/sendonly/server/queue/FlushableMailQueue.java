package io.sendonly.server.queue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.jms.ConnectionFactory;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.MessageProducer;
import javax.jms.ObjectMessage;
import javax.jms.Queue;
import javax.jms.Session;
import javax.mail.MessagingException;

import org.apache.james.metrics.api.GaugeRegistry;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.queue.activemq.ActiveMQCacheableMailQueue;
import org.apache.james.queue.api.MailQueue.MailQueueException;
import org.apache.james.queue.api.MailQueue.MailQueueItem;
import org.apache.james.queue.api.MailQueueItemDecoratorFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.mailet.Mail;

import reactor.core.publisher.Flux;

/**
 * James's ActiveMQ mail queue with concurrent enqueues ({@link ProducerPool}: James's sends every mail through one
 * session, one at a time), consumers that stay open ({@link Receivers}: James's opens one per mail) and a flush that
 * flushes (webadmin {@code PATCH /mailQueues/NAME/mails?delayed=true},
 * Postfix's {@code postqueue -f}). James's own stops at the first instant no message waits in its consumer, which
 * with one message prefetched comes after about one; it also holds every flushed message in one transaction, in
 * memory. This one takes each waiting message once (a selector skips those already marked for delivery), re-sends
 * it marked for delivery now, and commits every {@value #BATCH} messages.
 */
class FlushableMailQueue extends ActiveMQCacheableMailQueue {
    private static final int BATCH = 200;
    /** Enqueues at once: at least the SMTP I/O threads (smtpserver.xml ioWorkerCount) plus the spooler's re-queues. */
    private static final int SENDERS = 8;
    /** Mails taken at once: at least the threads that process them (spooler threads, deliveryThreads: 8 shipped). */
    private static final int RECEIVERS = 8;
    /** How long the broker may take to hand the next message over before the queue counts as flushed. */
    private static final long RECEIVE_TIMEOUT_MS = 1000;
    private static final String NOT_YET_FLUSHED = FORCE_DELIVERY + " IS NULL OR " + FORCE_DELIVERY + " = false";

    private final ProducerPool senders;
    private final Receivers receivers;

    FlushableMailQueue(ConnectionFactory connectionFactory, MailQueueItemDecoratorFactory decoratorFactory, MailQueueName name,
                       MetricFactory metricFactory, GaugeRegistry gaugeRegistry) {
        // useBlob false: the message in the journal, not in a blob file beside it. The journal is synced to disk and
        // its writes are batched, where a blob file costs a create, a write and a delete per queue hop, is never
        // synced, and is named by an absolute path that breaks when var/ moves.
        super(connectionFactory, decoratorFactory, name, false, metricFactory, gaugeRegistry);
        this.senders = new ProducerPool(connectionFactory, name.asString(), SENDERS);
        this.receivers = new Receivers(connectionFactory, name.asString(), this::getMessageSelector, this::item, RECEIVERS);
    }

    @Override
    public Flux<MailQueueItem> deQueue() {
        return receivers.items();
    }

    private MailQueueItem item(Message message, Receivers.Completion completion) throws Exception {
        Mail mail = createMail(message);
        dequeuedMailsMetric.increment();
        return mailQueueItemDecoratorFactory.decorate(new ReceivedItem(mail, completion), queueName);
    }

    /** As James's, the message bytes in an ObjectMessage (what its dequeue reads), sent by a pooled sender. */
    @Override
    protected void produceMail(Map<String, Object> props, int msgPrio, Mail mail) throws JMSException, MessagingException, IOException {
        long size = mail.getMessageSize();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(size > 0 && size < Integer.MAX_VALUE ? (int) size : 8192);
        mail.getMessage().writeTo(bytes);
        byte[] body = bytes.toByteArray();
        senders.send(session -> {
            ObjectMessage message = session.createObjectMessage();
            for (Map.Entry<String, Object> property : props.entrySet()) {
                message.setObjectProperty(property.getKey(), property.getValue());
            }
            message.setObject(body);
            return message;
        }, msgPrio);
    }

    @Override
    public void dispose() {
        receivers.close();
        senders.close();
        super.dispose();
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

    /** A received mail; done once, as its receiver then takes the next. */
    private static final class ReceivedItem implements MailQueueItem {
        private final Mail mail;
        private final Receivers.Completion completion;
        private final AtomicBoolean done = new AtomicBoolean();

        private ReceivedItem(Mail mail, Receivers.Completion completion) {
            this.mail = mail;
            this.completion = completion;
        }

        @Override
        public Mail getMail() {
            return mail;
        }

        @Override
        public void done(CompletionStatus status) throws MailQueueException {
            if (done.compareAndSet(false, true)) {
                completion.complete(status);
            }
        }
    }
}
