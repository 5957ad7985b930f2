package io.sendonly.server.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import javax.jms.Connection;
import javax.jms.ConnectionFactory;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.MessageConsumer;
import javax.jms.Session;

import org.apache.james.queue.api.MailQueue.MailQueueException;
import org.apache.james.queue.api.MailQueue.MailQueueItem;
import org.apache.james.queue.api.MailQueue.MailQueueItem.CompletionStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Consumers of one queue that stay open, each on a connection and a thread of its own, holding one mail at a time
 * until it is done. James's queue opens a session and a consumer for every mail, one after the other on one thread,
 * and closes them when the mail is done: a broker round trip or more per mail, in series, which bounded delivery at
 * about the rate the SMTP side accepts alone. Done as James's: success commits (the mail leaves the queue only
 * then), anything else rolls back and the consumer is opened again, so the broker counts a redelivery.
 *
 * <p>A consumer's selector (James's: due now, or flushed) holds the time it was made: it is made again after
 * {@value #SELECTOR_MAX_AGE_MS} ms, so mail queued with a delay is taken within that much of its due time, as James's
 * (whose consumer waits 10 s). Not more often: every new consumer makes the broker page the queue in again, and with
 * consumers made each second a browse of the queue (mailq) once missed a mail in CI.
 */
final class Receivers implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(Receivers.class);
    private static final long SELECTOR_MAX_AGE_MS = 10_000;
    private static final long RECEIVE_TIMEOUT_MS = 1000;
    private static final long RETRY_DELAY_MS = 1000;
    private static final long STOP_GRACE_MS = 3000;

    /** Turns a received message into the queue's item; {@code done} is what the item's {@code done} must call. */
    @FunctionalInterface
    interface ItemMaker {
        MailQueueItem item(Message message, Completion done) throws Exception;
    }

    /** Commits or rolls back the receiver's session, then frees it for the next mail. */
    @FunctionalInterface
    interface Completion {
        void complete(CompletionStatus status) throws MailQueueException;
    }

    private final ConnectionFactory connectionFactory;
    private final String queueName;
    private final Supplier<String> selector;
    private final ItemMaker itemMaker;
    private final int count;
    private final SynchronousQueue<MailQueueItem> handoff = new SynchronousQueue<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean closed;

    Receivers(ConnectionFactory connectionFactory, String queueName, Supplier<String> selector, ItemMaker itemMaker, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, not " + count);
        }
        this.connectionFactory = connectionFactory;
        this.queueName = queueName;
        this.selector = selector;
        this.itemMaker = itemMaker;
        this.count = count;
    }

    /** The mail of the queue as the receivers take it; the receivers start with the first call. */
    Flux<MailQueueItem> items() {
        start();
        return Mono.fromCallable(this::poll)
            .repeat(() -> !closed && !Thread.currentThread().isInterrupted());
    }

    private MailQueueItem poll() {
        try {
            return handoff.poll(RECEIVE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            // The reader stops (its scheduler is disposed): end the flux, without an error nobody receives.
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private synchronized void start() {
        if (!threads.isEmpty() || closed) {
            return;
        }
        for (int i = 0; i < count; i++) {
            Thread thread = new Thread(new Receiver(), "queue-" + queueName + "-receiver-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    @Override
    public void close() {
        List<Thread> toStop;
        synchronized (this) {
            closed = true;
            toStop = new ArrayList<>(threads);
        }
        toStop.forEach(Thread::interrupt);
        for (Thread thread : toStop) {
            try {
                thread.join(STOP_GRACE_MS + RECEIVE_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final class Receiver implements Runnable {
        private Connection connection;
        private Session session;
        private MessageConsumer consumer;
        private long consumerMadeAt;
        private boolean failing;

        @Override
        public void run() {
            while (!closed) {
                try {
                    receiveOne();
                    failing = false;
                } catch (InterruptedException e) {
                    break;
                } catch (Exception e) {
                    if (closed) {
                        break;
                    }
                    if (failing) {
                        LOGGER.debug("Receiving from queue {} failed again", queueName, e);
                    } else {
                        LOGGER.warn("Receiving from queue {} failed, again every {} ms", queueName, RETRY_DELAY_MS, e);
                    }
                    failing = true;
                    closeConnection();
                    if (!pause()) {
                        break;
                    }
                }
            }
            closeConnection();
        }

        private void receiveOne() throws Exception {
            MessageConsumer current = consumer();
            Message message = current.receive(RECEIVE_TIMEOUT_MS);
            if (message == null) {
                return;
            }
            CompletableFuture<Void> freed = new CompletableFuture<>();
            MailQueueItem item;
            try {
                item = itemMaker.item(message, status -> complete(status, freed));
            } catch (Exception e) {
                LOGGER.error("Unreadable mail in queue {}: rolled back", queueName, e);
                rollBack();
                return;
            }
            while (!handoff.offer(item, RECEIVE_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                if (closed) {
                    rollBack();
                    return;
                }
            }
            waitUntilDone(freed);
        }

        /** On the thread that processed the mail; this receiver waits for it and touches its session only after. */
        private void complete(CompletionStatus status, CompletableFuture<Void> freed) throws MailQueueException {
            try {
                if (status == CompletionStatus.SUCCESS) {
                    session.commit();
                } else {
                    rollBack();
                }
            } catch (JMSException e) {
                closeConnection();
                throw new MailQueueException("Unable to commit the dequeue of a mail from queue " + queueName, e);
            } finally {
                freed.complete(null);
            }
        }

        private void waitUntilDone(CompletableFuture<Void> freed) throws InterruptedException, ExecutionException {
            try {
                freed.get();
            } catch (InterruptedException e) {
                if (!closed) {
                    throw e;
                }
                // Stopping: the mail being processed gets a moment to finish; after it, closing the connection hands
                // the mail back to the queue, to be taken again (at least once, never lost).
                try {
                    freed.get(STOP_GRACE_MS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | InterruptedException stillBusy) {
                    LOGGER.warn("A mail of queue {} still in process at stop goes back to the queue", queueName);
                }
            }
        }

        private MessageConsumer consumer() throws JMSException {
            if (connection == null) {
                connection = connectionFactory.createConnection();
                connection.start();
                session = connection.createSession(true, Session.SESSION_TRANSACTED);
            }
            if (consumer != null && System.currentTimeMillis() - consumerMadeAt > SELECTOR_MAX_AGE_MS) {
                consumer.close();
                consumer = null;
            }
            if (consumer == null) {
                consumerMadeAt = System.currentTimeMillis();
                consumer = session.createConsumer(session.createQueue(queueName), selector.get());
            }
            return consumer;
        }

        private void rollBack() {
            try {
                session.rollback();
                // A new consumer, as James's queue does after a rollback: the message goes back to the queue counted
                // as redelivered, not to this consumer's own redelivery loop.
                consumer.close();
            } catch (JMSException e) {
                LOGGER.warn("Rolling back a dequeue from queue {} failed", queueName, e);
                closeConnection();
            }
            consumer = null;
        }

        private void closeConnection() {
            if (connection != null) {
                try {
                    connection.close();
                } catch (JMSException e) {
                    LOGGER.debug("Closing a receiver's connection to queue {} failed", queueName, e);
                }
            }
            connection = null;
            session = null;
            consumer = null;
        }

        private boolean pause() {
            try {
                Thread.sleep(RETRY_DELAY_MS);
                return true;
            } catch (InterruptedException e) {
                return false;
            }
        }
    }
}
