package io.sendonly.server.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.Distribution;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.TestServer;
import io.sendonly.server.testing.WebAdmin;

/** The durable queue as an operator sees it through webadmin: its size, and a flush after an outage (postqueue -f). */
class QueueManagementIntegrationTest {
    private static final int MAILS = 250;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path workingDirectory;

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void deferredMailShouldBeCountedThenDeliveredByAFlushLongBeforeItsRetry() throws Exception {
        int nextHop = Distribution.freePort();
        TestServer server = closer.register(TestServer.prepare(workingDirectory)
            .routes("default [127.0.0.1]:" + nextHop + "\n")
            .delivery("retrySchedule", "1h")
            .start());
        WebAdmin webAdmin = server.webAdmin();

        try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
            for (int i = 0; i < MAILS; i++) {
                String messageId = Messages.newMessageId();
                client.send("app@example.com", List.of("user" + i + "@example.net"),
                    Messages.simple(messageId, "app@example.com", "user" + i + "@example.net", "Outage " + i, "body\r\n"));
            }
        }
        await().atMost(TIMEOUT).until(() -> webAdmin.get("/mailQueues/outgoing").body().contains("\"size\":" + MAILS));

        SmtpSink nextHopBack = closer.register(SmtpSink.start(InetAddress.getLoopbackAddress(), nextHop));
        HttpResponse<String> flush = webAdmin.patch("/mailQueues/outgoing/mails?delayed=true", "{\"delayed\": false}");

        assertThat(flush.statusCode()).isEqualTo(204);
        await().atMost(TIMEOUT).until(() -> nextHopBack.received().size() >= MAILS);
        assertThat(nextHopBack.received()).hasSize(MAILS);
        await().atMost(TIMEOUT).until(() -> webAdmin.get("/mailQueues/outgoing").body().contains("\"size\":0"));
    }
}
