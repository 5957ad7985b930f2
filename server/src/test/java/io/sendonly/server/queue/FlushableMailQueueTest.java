package io.sendonly.server.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.mail.Session;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;

import org.apache.activemq.broker.BrokerService;
import org.apache.james.core.MailAddress;
import org.apache.james.metrics.api.NoopGaugeRegistry;
import org.apache.james.metrics.dropwizard.DropWizardMetricFactory;
import org.apache.james.queue.api.MailQueue.MailQueueItem;
import org.apache.james.queue.api.MailQueue.MailQueueItem.CompletionStatus;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Mail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.codahale.metrics.MetricRegistry;

import reactor.core.Disposable;
import reactor.core.scheduler.Schedulers;

/** The queue's own enqueue and dequeue paths against an in-JVM broker: concurrency, completion, delays. */
class FlushableMailQueueTest {
    private static final String BROKER = "flushable-queue-test";

    private BrokerService broker;
    private FlushableMailQueue queue;
    private Disposable consuming;
    private final LinkedBlockingQueue<MailQueueItem> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void startBroker() throws Exception {
        broker = new BrokerService();
        broker.setBrokerName(BROKER);
        broker.setPersistent(false);
        broker.setUseJmx(false);
        broker.setUseShutdownHook(false);
        MailQueuePolicy.apply(broker);
        broker.start();
        broker.waitUntilStarted();
        queue = new FlushableMailQueue(QueueClient.connectionFactory("vm://" + BROKER + "?create=false"),
            new RawMailQueueItemDecoratorFactory(), MailQueueName.of("test"), new DropWizardMetricFactory(new MetricRegistry()),
            new NoopGaugeRegistry());
    }

    @AfterEach
    void stop() throws Exception {
        if (consuming != null) {
            consuming.dispose();
        }
        queue.dispose();
        broker.stop();
        broker.waitUntilStopped();
    }

    @Test
    void mailQueuedFromManyThreadsIsEachReceivedOnceWithItsBody() throws Exception {
        int mails = 200;
        ExecutorService senders = Executors.newFixedThreadPool(20);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < mails; i++) {
                int n = i;
                sent.add(senders.submit(() -> {
                    queue.enQueue(mail("mail-" + n, "body " + n));
                    return null;
                }));
            }
            for (Future<?> future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            senders.shutdownNow();
        }
        consume();

        Set<String> names = ConcurrentHashMap.newKeySet();
        for (int i = 0; i < mails; i++) {
            MailQueueItem item = next();
            assertThat(item).as("mail %d of %d", i + 1, mails).isNotNull();
            String name = item.getMail().getName();
            assertThat(names.add(name)).as("received twice: %s", name).isTrue();
            assertThat(bodyOf(item.getMail())).isEqualTo("body " + name.substring("mail-".length()));
            item.done(CompletionStatus.SUCCESS);
        }
        assertThat(received.poll(1500, TimeUnit.MILLISECONDS)).isNull();
        assertThat(queue.getSize()).isZero();
    }

    @Test
    void mailRolledBackComesAgainAndCommittedMailDoesNot() throws Exception {
        queue.enQueue(mail("kept", "kept"));
        consume();

        next().done(CompletionStatus.RETRY);
        MailQueueItem again = next();
        assertThat(again.getMail().getName()).isEqualTo("kept");
        again.done(CompletionStatus.SUCCESS);
        // A second done on the same item must not commit whatever its receiver holds next.
        again.done(CompletionStatus.SUCCESS);

        assertThat(received.poll(1500, TimeUnit.MILLISECONDS)).isNull();
        assertThat(queue.getSize()).isZero();
    }

    @Test
    void delayedMailIsTakenOnlyOnceDue() throws Exception {
        consume();
        queue.enQueue(mail("later", "later"), Duration.ofSeconds(2));
        long queuedAt = System.nanoTime();

        MailQueueItem item = received.poll(20, TimeUnit.SECONDS);

        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - queuedAt);
        assertThat(item).isNotNull();
        // Due after 2 s; the receivers' selectors are made again every 10 s.
        assertThat(waitedMs).as("waited ms").isBetween(1900L, 14_000L);
        item.done(CompletionStatus.SUCCESS);
    }

    @Test
    void mailHeldByAReceiverIsNotLostWhenTheQueueIsDisposed() throws Exception {
        queue.enQueue(mail("held", "held"));
        consume();
        assertThat(next()).isNotNull();

        consuming.dispose();
        consuming = null;
        queue.dispose();
        queue = new FlushableMailQueue(QueueClient.connectionFactory("vm://" + BROKER + "?create=false"),
            new RawMailQueueItemDecoratorFactory(), MailQueueName.of("test"), new DropWizardMetricFactory(new MetricRegistry()),
            new NoopGaugeRegistry());
        received.clear();
        consume();

        MailQueueItem again = next();
        assertThat(again.getMail().getName()).isEqualTo("held");
        again.done(CompletionStatus.SUCCESS);
    }

    private void consume() {
        // As the spooler and the delivery loop: the queue blocks while it waits for mail, on a thread of its own.
        consuming = queue.deQueue().subscribeOn(Schedulers.boundedElastic()).subscribe(received::add);
    }

    private MailQueueItem next() throws InterruptedException {
        return received.poll(10, TimeUnit.SECONDS);
    }

    private static Mail mail(String name, String body) throws Exception {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress("app@example.com"));
        message.setSubject(name);
        message.setText(body);
        message.saveChanges();
        return MailImpl.builder()
            .name(name)
            .sender(new MailAddress("app@example.com"))
            .addRecipient(new MailAddress("user@example.net"))
            .mimeMessage(message)
            .build();
    }

    private static String bodyOf(Mail mail) throws Exception {
        return ((String) mail.getMessage().getContent()).trim();
    }
}
