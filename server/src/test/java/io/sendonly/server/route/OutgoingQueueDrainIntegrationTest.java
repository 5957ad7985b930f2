package io.sendonly.server.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.TestServer;

/**
 * Every mail taken from the outgoing queue is delivered, also the one taken as a burst ends while every delivery
 * thread is busy. The queue blocks while it waits for mail; when that wait ran on a delivery thread, such a mail could
 * be queued behind it and wait for the next restart (seen at the end of a 100000-mail backlog drain). Two delivery
 * threads and bursts through the outgoing queue make that moment frequent.
 */
class OutgoingQueueDrainIntegrationTest {
    private static final int BURSTS = 12;
    private static final int CONNECTIONS = 4;
    private static final int PER_CONNECTION = 10;
    /** A burst of 40 takes well under a second; a mail stuck behind the queue's wait never arrives. */
    private static final Duration BURST_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path workingDirectory;

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void everyBurstThroughTheOutgoingQueueShouldBeDeliveredCompletely() throws Exception {
        SmtpSink relay = closer.register(SmtpSink.start());
        TestServer server = closer.register(TestServer.prepare(workingDirectory.resolve("server"))
            .routes("default [127.0.0.1]:" + relay.port() + "\n")
            .delivery("firstAttempt", "queue")
            .delivery("deliveryThreads", "2")
            .start());
        ExecutorService senders = Executors.newFixedThreadPool(CONNECTIONS);
        closer.register((AutoCloseable) senders::shutdownNow);

        for (int burst = 1; burst <= BURSTS; burst++) {
            List<Future<?>> sending = new ArrayList<>();
            for (int connection = 0; connection < CONNECTIONS; connection++) {
                sending.add(senders.submit(() -> sendSome(server.smtpPort(), PER_CONNECTION)));
            }
            for (Future<?> sent : sending) {
                sent.get();
            }
            int expected = burst * CONNECTIONS * PER_CONNECTION;
            await("burst " + burst + ": " + expected + " delivered").atMost(BURST_TIMEOUT)
                .until(() -> relay.received().size() >= expected);
        }
        assertThat(relay.received()).hasSize(BURSTS * CONNECTIONS * PER_CONNECTION);
    }

    private static Void sendSome(int port, int count) throws Exception {
        try (SmtpClient client = SmtpClient.connect(port)) {
            for (int i = 0; i < count; i++) {
                client.send("app@example.com", List.of("user@example.net"),
                    Messages.simple(Messages.newMessageId(), "app@example.com", "user@example.net", "Burst", "body\r\n"));
            }
        }
        return null;
    }
}
