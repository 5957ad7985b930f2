package io.sendonly.deliver;

import java.time.Duration;
import java.util.Optional;

import javax.mail.MessagingException;

import org.apache.james.lifecycle.api.LifecycleUtil;
import org.apache.james.queue.api.MailQueue;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The durable outgoing queue and its delivery threads (James's {@code DeliveryRunnable}): each mail taken from the
 * queue gets one attempt; what the attempt defers goes back with the retry delay, and a mail whose attempt failed
 * unexpectedly stays queued. A mail leaves the queue only once its attempt is settled, so a crash means another
 * attempt, never a loss.
 */
final class OutgoingQueue implements AutoCloseable {
    /** One attempt at a mail; see {@link MailDelivery#deliver}. */
    @FunctionalInterface
    interface Attempt {
        Optional<Duration> deliver(Mail mail) throws MessagingException;
    }

    private static final Logger LOGGER = LoggerFactory.getLogger(OutgoingQueue.class);

    private final MailQueue queue;
    private final Attempt attempt;
    private final DeliveryEvents events;
    private final Scheduler scheduler;
    private final Scheduler dequeueScheduler;
    private final Disposable dequeuing;

    OutgoingQueue(MailQueue queue, int threads, Attempt attempt, DeliveryEvents events) {
        this.queue = queue;
        this.attempt = attempt;
        this.events = events;
        this.scheduler = Schedulers.newBoundedElastic(threads, Integer.MAX_VALUE, "route-delivery");
        // The JMS queue blocks while it waits for mail (10 s per empty receive, then again): it gets a thread of its
        // own, and every request for more mail is made on that thread, never on a delivery thread, where a mail
        // dequeued could wait behind that thread's endless receive loop.
        this.dequeueScheduler = Schedulers.newSingle("route-delivery-dequeue");
        this.dequeuing = Flux.from(queue.deQueue())
            .subscribeOn(dequeueScheduler)
            .flatMap(item -> Mono.fromRunnable(() -> process(item)).subscribeOn(scheduler), threads)
            .onErrorContinue((error, item) -> LOGGER.error("delivery loop error", error))
            .subscribe();
    }

    /** Queues the mail for an attempt as soon as a delivery thread is free. */
    void enqueue(Mail mail) throws MessagingException {
        queue.enQueue(mail);
        events.queued(mail);
    }

    /**
     * One attempt now, on the caller's thread: what it defers is queued with its retry delay; a mail whose attempt
     * failed unexpectedly is queued for another attempt, as a delivery thread would keep it.
     */
    void attemptNow(Mail mail) throws MessagingException {
        try {
            requeueDeferred(mail);
        } catch (RuntimeException | MessagingException e) {
            LOGGER.error("Delivery of {} failed unexpectedly; queued for another attempt", mail.getName(), e);
            enqueue(mail);
        }
    }

    private void requeueDeferred(Mail mail) throws MessagingException {
        Optional<Duration> retry = attempt.deliver(mail);
        if (retry.isPresent()) {
            queue.enQueue(mail, retry.get());
            events.queued(mail);
        }
    }

    private void process(MailQueue.MailQueueItem item) {
        Mail mail = item.getMail();
        try {
            requeueDeferred(mail);
            item.done(MailQueue.MailQueueItem.CompletionStatus.SUCCESS);
        } catch (Exception e) {
            LOGGER.error("Delivery of {} failed unexpectedly; it stays queued", mail.getName(), e);
            try {
                item.done(MailQueue.MailQueueItem.CompletionStatus.RETRY);
            } catch (Exception retry) {
                LOGGER.error("Could not put {} back in the queue", mail.getName(), retry);
            }
        } finally {
            LifecycleUtil.dispose(mail);
        }
    }

    @Override
    public void close() {
        dequeuing.dispose();
        // Not dispose(): interrupting the queue's blocking receive logs an error; the receive ends by itself.
        dequeueScheduler.disposeGracefully().subscribe();
        scheduler.dispose();
    }
}
