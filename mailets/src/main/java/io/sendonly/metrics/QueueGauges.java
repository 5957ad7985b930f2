package io.sendonly.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.inject.Inject;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueue.MailQueueException;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.ManageableMailQueue;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.deliver.DeliveryAttributes;

/**
 * The size of the spool and outgoing queues and the age of their oldest mail, read when scraped. The size is the
 * queue's own count; the age browses at most {@link #BROWSED} mails from the head, so a scrape costs the same with a
 * backlog of a million: for the spool, served in arrival order, the head holds the oldest; for the outgoing queue,
 * where a deferred mail goes back to the tail, the oldest among those browsed.
 */
public class QueueGauges {
    static final int BROWSED = 100;
    static final List<MailQueueName> QUEUES = List.of(MailQueueFactory.SPOOL, MailQueueName.of("outgoing"));
    private static final Logger LOGGER = LoggerFactory.getLogger(QueueGauges.class);
    private static final String QUEUE = "queue";

    private final MailQueueFactory<? extends ManageableMailQueue> queues;
    private final Clock clock;

    @Inject
    public QueueGauges(MailQueueFactory<? extends ManageableMailQueue> queues) {
        this(queues, Clock.systemUTC());
    }

    public QueueGauges(MailQueueFactory<? extends ManageableMailQueue> queues, Clock clock) {
        this.queues = queues;
        this.clock = clock;
    }

    public void writeTo(PrometheusText page) {
        Instant now = clock.instant();
        List<Reading> readings = QUEUES.stream().flatMap(name -> read(name, now).stream()).toList();
        page.family("sendonly_queue_messages", "Mails in the queue.", "gauge");
        readings.forEach(reading -> page.sample("sendonly_queue_messages", List.of(QUEUE), List.of(reading.queue()), reading.size()));
        page.family("sendonly_queue_oldest_seconds", "Age of the oldest mail in the queue (of the first " + BROWSED
            + " from its head); 0 when empty.", "gauge");
        readings.forEach(reading -> page.sample("sendonly_queue_oldest_seconds", List.of(QUEUE), List.of(reading.queue()),
            reading.oldestSeconds()));
    }

    private record Reading(String queue, long size, double oldestSeconds) {
    }

    /** Empty when the queue does not exist (yet) or cannot be read: a scrape shows what it can. */
    private Optional<Reading> read(MailQueueName name, Instant now) {
        Optional<? extends ManageableMailQueue> queue = queues.getQueue(name);
        if (queue.isEmpty()) {
            return Optional.empty();
        }
        try {
            double age = oldest(queue.get(), now).map(arrival -> Duration.between(arrival, now).toMillis() / 1000.0).orElse(0.0);
            return Optional.of(new Reading(name.asString(), queue.get().getSize(), Math.max(0, age)));
        } catch (MailQueueException | RuntimeException e) {
            LOGGER.warn("metrics: the {} queue could not be read: {}", name.asString(), e.toString());
            return Optional.empty();
        }
    }

    private static Optional<Instant> oldest(ManageableMailQueue queue, Instant now) throws MailQueueException {
        Instant oldest = null;
        ManageableMailQueue.MailQueueIterator items = queue.browse();
        try {
            for (int read = 0; read < BROWSED && items.hasNext(); read++) {
                Mail mail = items.next().getMail();
                try {
                    Instant arrival = DeliveryAttributes.queuedAt(mail)
                        .orElseGet(() -> mail.getLastUpdated() == null ? now : mail.getLastUpdated().toInstant());
                    oldest = oldest == null || arrival.isBefore(oldest) ? arrival : oldest;
                } finally {
                    LifecycleUtil.dispose(mail);
                }
            }
        } finally {
            items.close();
        }
        return Optional.ofNullable(oldest);
    }
}
