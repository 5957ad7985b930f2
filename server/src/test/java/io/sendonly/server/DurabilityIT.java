package io.sendonly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.ConfFile;
import io.sendonly.server.testing.Distribution;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.WebAdmin;

/** A message answered 250 after DATA survives kill -9 of the server. */
class DurabilityIT {
    private static final int MESSAGES = 200;
    private static final int CONNECTIONS = 4;

    @TempDir
    Path home;

    @RegisterExtension
    final Closer closer = new Closer();

    private Distribution server;
    private SmtpSink sink;

    @Test
    void everyAcknowledgedMessageShouldBeDeliveredAfterKillMinusNine() throws Exception {
        int sinkPort = Distribution.freePort();
        server = closer.register(Distribution.copyTo(home));
        ConfFile.write(server.conf("routes"), "default [127.0.0.1]:" + sinkPort + "\n");
        ConfFile.of(server.conf("mailetcontainer.xml"))
            // Seconds, not the shipped minutes, so that the retries after restart happen within the test.
            .set("//mailet[@class='io.sendonly.deliver.RouteDelivery']/retrySchedule", "2s")
            .save();
        server.start();

        // The sink is down: everything accepted stays queued (spool or outgoing, with retries pending).
        List<String> acknowledged = sendConcurrently();
        server.kill();

        sink = closer.register(SmtpSink.start(InetAddress.getLoopbackAddress(), sinkPort));
        server.start();

        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> deliveredIds().containsAll(acknowledged));
        } catch (ConditionTimeoutException e) {
            String log = server.log();
            Set<String> missing = new HashSet<>(acknowledged);
            missing.removeAll(deliveredIds());
            Set<String> deliveredNames = log.lines().filter(line -> line.contains("status=delivered"))
                .map(line -> line.replaceAll(".*RouteDelivery - ([^:]+):.*", "$1")).collect(Collectors.toSet());
            String queues = new WebAdmin(server.webAdminPort()).get("/mailQueues/spool").body() + " "
                + new WebAdmin(server.webAdminPort()).get("/mailQueues/outgoing").body();
            keepForInspection();
            String problems = log.lines().filter(line -> line.contains(" WARN ") || line.contains(" ERROR ") || line.contains("Exception"))
                .distinct().limit(40).collect(Collectors.joining("\n"));
            throw new AssertionError(deliveredIds().size() + " of " + acknowledged.size() + " delivered; missing " + missing
                + "; log lines: " + log.lines().filter(line -> line.contains("status=delivered")).count() + " delivered (" + deliveredNames.size() + " mails), "
                + sink.received().size() + " received by the sink; queues " + queues + "; "
                + log.lines().filter(line -> line.contains("status=deferred")).count() + " deferred, "
                + log.lines().filter(line -> line.contains("JAMES server started")).count() + " starts; WARN/ERROR:\n" + problems
                + "\nserver log ends:\n" + log.substring(Math.max(0, log.length() - 8_000)), e);
        }
        Map<String, Long> counts = sink.received().stream()
            .collect(Collectors.groupingBy(received -> received.header("Message-ID"), Collectors.counting()));
        long duplicates = counts.values().stream().mapToLong(count -> count - 1).sum();
        System.out.printf("durability: %d acknowledged before kill -9, %d delivered, %d duplicates%n",
            acknowledged.size(), counts.size(), duplicates);
        assertThat(acknowledged).hasSizeGreaterThan(MESSAGES / 2);
        assertThat(counts.keySet()).containsAll(acknowledged);
    }

    /** The server's home, queue store included, copied where a failed run can be examined. */
    private void keepForInspection() throws java.io.IOException {
        Path kept = Path.of("target", "durability-failure-" + System.currentTimeMillis());
        Distribution.copyTree(home, kept);
        System.err.println("DurabilityIT: server home kept in " + kept.toAbsolutePath());
    }

    private Set<String> deliveredIds() {
        return sink.received().stream().map(received -> received.header("Message-ID")).collect(Collectors.toCollection(HashSet::new));
    }

    /** Sends MESSAGES over CONNECTIONS parallel sessions; returns the Message-IDs answered 250. */
    private List<String> sendConcurrently() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<String> acknowledged = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < CONNECTIONS; c++) {
            Thread thread = new Thread(() -> {
                try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
                    for (int i = 0; i < MESSAGES / CONNECTIONS; i++) {
                        String messageId = Messages.newMessageId();
                        client.send("app@example.com", "user@example.net",
                            Messages.simple(messageId, "app@example.com", "user@example.net", "durable " + i, "body " + i + "\r\n"));
                        acknowledged.add(messageId);
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(120).toMillis());
        }
        return List.copyOf(acknowledged);
    }
}
