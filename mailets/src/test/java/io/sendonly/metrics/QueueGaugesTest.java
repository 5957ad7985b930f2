package io.sendonly.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;

import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.MailQueueName;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.base.test.FakeMail;
import org.junit.jupiter.api.Test;

import io.sendonly.deliver.DeliveryAttributes;

class QueueGaugesTest {
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    private final MemoryMailQueueFactory queues = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory());
    private final QueueGauges gauges = new QueueGauges(queues, Clock.fixed(NOW, ZoneOffset.UTC));

    private String page() {
        PrometheusText page = new PrometheusText();
        gauges.writeTo(page);
        return page.toString();
    }

    private static FakeMail mail(String name, Instant lastUpdated) throws Exception {
        FakeMail mail = FakeMail.builder().name(name).sender("a@example.com").recipient("b@example.net")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setText("hi")).build();
        mail.setLastUpdated(Date.from(lastUpdated));
        return mail;
    }

    @Test
    void writeToShouldGiveEachQueuesSizeAndItsOldestMailsAge() throws Exception {
        queues.createQueue(MailQueueFactory.SPOOL).enQueue(mail("m1", NOW.minusSeconds(30)));
        queues.createQueue(MailQueueFactory.SPOOL).enQueue(mail("m2", NOW.minusSeconds(5)));
        FakeMail deferred = mail("m3", NOW.minusSeconds(10));
        deferred.setAttribute(new Attribute(DeliveryAttributes.QUEUED_AT, AttributeValue.of(NOW.minusSeconds(600).toEpochMilli())));
        queues.createQueue(MailQueueName.of("outgoing")).enQueue(deferred);

        assertThat(page()).contains("sendonly_queue_messages{queue=\"spool\"} 2\n", "sendonly_queue_messages{queue=\"outgoing\"} 1\n",
            "sendonly_queue_oldest_seconds{queue=\"spool\"} 30\n", "sendonly_queue_oldest_seconds{queue=\"outgoing\"} 600\n");
    }

    @Test
    void writeToShouldGiveZeroForAnEmptyQueueAndLeaveOutAMissingOne() {
        queues.createQueue(MailQueueFactory.SPOOL);

        assertThat(page()).contains("sendonly_queue_messages{queue=\"spool\"} 0\n", "sendonly_queue_oldest_seconds{queue=\"spool\"} 0\n")
            .doesNotContain("queue=\"outgoing\"");
    }

    @Test
    void writeToShouldBrowseOnlyTheHeadOfALongQueue() throws Exception {
        for (int i = 0; i < QueueGauges.BROWSED; i++) {
            queues.createQueue(MailQueueFactory.SPOOL).enQueue(mail("m" + i, NOW.minusSeconds(60)));
        }
        queues.createQueue(MailQueueFactory.SPOOL).enQueue(mail("late", NOW.minusSeconds(3600)));

        assertThat(page()).contains("sendonly_queue_messages{queue=\"spool\"} " + (QueueGauges.BROWSED + 1) + "\n",
            "sendonly_queue_oldest_seconds{queue=\"spool\"} 60\n");
    }
}
