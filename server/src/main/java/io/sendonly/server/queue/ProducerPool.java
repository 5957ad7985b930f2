package io.sendonly.server.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;

import javax.jms.Connection;
import javax.jms.ConnectionFactory;
import javax.jms.JMSException;
import javax.jms.Message;
import javax.jms.MessageProducer;
import javax.jms.Session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Up to {@code size} senders to one queue, each on a connection of its own, so that concurrent enqueues reach the
 * broker at once. James's queue sends every mail through one session, whose send lock a persistent send holds until
 * the broker has synced its journal: enqueues from many SMTP connections then wait in line and the journal syncs one
 * mail at a time. Side by side, the broker's journal writes the mails that arrived during one sync with the next.
 * A connection each, not a session each: the broker takes one connection's commands one at a time.
 */
final class ProducerPool implements AutoCloseable {
    private static final Logger LOGGER = LoggerFactory.getLogger(ProducerPool.class);

    /** Builds the message to send on the session that sends it. */
    @FunctionalInterface
    interface MessageMaker {
        Message make(Session session) throws JMSException;
    }

    private final ConnectionFactory connectionFactory;
    private final String queueName;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Sender> idle = new ConcurrentLinkedDeque<>();
    private final List<Sender> opened = new ArrayList<>();
    private boolean closed;

    ProducerPool(ConnectionFactory connectionFactory, String queueName, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be at least 1, not " + size);
        }
        this.connectionFactory = connectionFactory;
        this.queueName = queueName;
        this.permits = new Semaphore(size);
    }

    /** Sends persistently: returns once the broker holds the message durably. */
    void send(MessageMaker maker, int priority) throws JMSException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JMSException("interrupted while waiting for a sender to queue " + queueName);
        }
        try {
            Sender sender = idle.pollFirst();
            if (sender == null) {
                sender = open();
            }
            try {
                sender.producer.send(maker.make(sender.session), Message.DEFAULT_DELIVERY_MODE, priority, Message.DEFAULT_TIME_TO_LIVE);
            } catch (JMSException | RuntimeException e) {
                // Its connection may be the cause: the next send opens a fresh one.
                discard(sender);
                throw e;
            }
            idle.offerFirst(sender);
        } finally {
            permits.release();
        }
    }

    private Sender open() throws JMSException {
        Connection connection = connectionFactory.createConnection();
        try {
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Sender sender = new Sender(connection, session, session.createProducer(session.createQueue(queueName)));
            synchronized (opened) {
                if (closed) {
                    throw new JMSException("queue " + queueName + " is closed");
                }
                opened.add(sender);
            }
            return sender;
        } catch (JMSException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private void discard(Sender sender) {
        synchronized (opened) {
            opened.remove(sender);
        }
        sender.close();
    }

    @Override
    public void close() {
        List<Sender> toClose;
        synchronized (opened) {
            closed = true;
            toClose = new ArrayList<>(opened);
            opened.clear();
        }
        idle.clear();
        toClose.forEach(Sender::close);
    }

    private static final class Sender {
        private final Connection connection;
        private final Session session;
        private final MessageProducer producer;

        private Sender(Connection connection, Session session, MessageProducer producer) {
            this.connection = connection;
            this.session = session;
            this.producer = producer;
        }

        private void close() {
            try {
                connection.close();
            } catch (JMSException e) {
                LOGGER.warn("Error while closing a queue connection", e);
            }
        }
    }
}
