package io.sendonly.deliver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.mail.MessagingException;

import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory.MemoryCacheableMailQueue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.sendonly.events.Events;

/** The queue loop on James's in-memory queue, with attempts that fail unexpectedly the first time. */
class OutgoingQueueTest {
    private static final DeliveryEvents NO_EVENTS = new DeliveryEvents(new Events(), Clock.systemUTC());
    private final MemoryCacheableMailQueue queue = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory())
        .createQueue(MailQueueName.of("outgoing"));
    /** The names of the mails attempted, in order. */
    private final List<String> attempts = new CopyOnWriteArrayList<>();
    private OutgoingQueue outgoing;

    @AfterEach
    void close() {
        outgoing.close();
    }

    /** Fails unexpectedly at a mail's first attempt, delivers it at the second. */
    private Optional<Duration> failFirst(Mail mail) throws MessagingException {
        boolean first = !attempts.contains(mail.getName());
        attempts.add(mail.getName());
        if (first) {
            throw new MessagingException("unexpected");
        }
        return Optional.empty();
    }

    @Test
    void aQueuedMailWhoseAttemptFailsUnexpectedlyShouldStayQueuedForAnotherAttempt() throws Exception {
        outgoing = new OutgoingQueue(queue, 2, this::failFirst, NO_EVENTS);

        outgoing.enqueue(mail("m1"));

        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.size() == 2 && queue.getSize() == 0);
        assertThat(attempts).containsExactly("m1", "m1");
    }

    @Test
    void attemptNowShouldQueueAMailWhoseAttemptFailedUnexpectedly() throws Exception {
        outgoing = new OutgoingQueue(queue, 2, this::failFirst, NO_EVENTS);

        outgoing.attemptNow(mail("m1"));

        await().atMost(Duration.ofSeconds(10)).until(() -> attempts.size() == 2 && queue.getSize() == 0);
        assertThat(attempts).containsExactly("m1", "m1");
    }

    @Test
    void attemptNowShouldQueueNothingWhenTheAttemptLeavesNoRecipient() throws Exception {
        outgoing = new OutgoingQueue(queue, 2, mail -> {
            attempts.add(mail.getName());
            return Optional.empty();
        }, NO_EVENTS);

        outgoing.attemptNow(mail("m1"));

        assertThat(attempts).containsExactly("m1");
        assertThat(queue.getSize()).isZero();
    }

    private static Mail mail(String name) throws Exception {
        return FakeMail.builder().name(name).sender("app@example.com").recipients("a@example.net")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setSubject("test").setText("body")).build();
    }
}
