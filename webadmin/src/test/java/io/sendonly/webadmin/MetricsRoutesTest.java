package io.sendonly.webadmin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;

import org.apache.james.queue.api.MailQueueFactory;
import org.apache.james.queue.api.RawMailQueueItemDecoratorFactory;
import org.apache.james.queue.memory.MemoryMailQueueFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sendonly.events.EventType;
import io.sendonly.events.Events;
import io.sendonly.events.MessageEvent;
import io.sendonly.metrics.DeliveryMetrics;
import io.sendonly.metrics.QueueGauges;

class MetricsRoutesTest {
    private final Events events = new Events();
    private RoutesServer server;

    @BeforeEach
    void start() {
        MemoryMailQueueFactory queues = new MemoryMailQueueFactory(new RawMailQueueItemDecoratorFactory());
        queues.createQueue(MailQueueFactory.SPOOL);
        server = RoutesServer.start(new MetricsRoutes(new DeliveryMetrics(events), new QueueGauges(queues)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void getShouldAnswerTheCountsAndQueuesAsPrometheusText() throws Exception {
        events.publish(MessageEvent.of(Instant.now(), EventType.RECEIVED, "id", "Mail1", Map.of("client", "127.0.0.1")));

        HttpResponse<String> response = server.get(MetricsRoutes.BASE_PATH);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("\nsendonly_messages_received_total 1\n", "sendonly_queue_messages{queue=\"spool\"} 0\n");
    }
}
