package io.sendonly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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

/** A message answered 250 after DATA survives kill -9 of the server. */
class DurabilityIT {
    private static final int MESSAGES = 200;
    private static final int CONNECTIONS = 4;
    private static final int LOAD_MESSAGES = 2000;
    private static final int LOAD_CONNECTIONS = 20;

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
        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        for (Thread sender : startSenders(acknowledged, CONNECTIONS, MESSAGES)) {
            sender.join(Duration.ofSeconds(120).toMillis());
        }
        server.kill();

        sink = closer.register(SmtpSink.start(InetAddress.getLoopbackAddress(), sinkPort));
        server.start();

        assertThat(acknowledged).hasSize(MESSAGES);
        awaitDelivered(List.copyOf(acknowledged));
    }

    /** Full load: 20 connections sending, the sink taking mail, and the server killed in the middle of it all. */
    @Test
    void everyAcknowledgedMessageShouldBeDeliveredAfterKillMinusNineUnderLoad() throws Exception {
        sink = closer.register(SmtpSink.start(InetAddress.getLoopbackAddress(), Distribution.freePort()));
        server = closer.register(Distribution.copyTo(home));
        ConfFile.write(server.conf("routes"), "default [127.0.0.1]:" + sink.port() + "\n");
        server.start();

        List<String> acknowledged = Collections.synchronizedList(new ArrayList<>());
        List<Thread> senders = startSenders(acknowledged, LOAD_CONNECTIONS, LOAD_MESSAGES);
        await().atMost(Duration.ofSeconds(120)).until(() -> acknowledged.size() >= LOAD_MESSAGES * 2 / 5);
        server.kill();
        for (Thread sender : senders) {
            sender.join(Duration.ofSeconds(60).toMillis());
        }
        int deliveredBeforeRestart = deliveredIds().size();
        server.start();

        System.out.printf("durability under load: %d acknowledged, %d of them delivered before kill -9%n",
            acknowledged.size(), deliveredBeforeRestart);
        awaitDelivered(List.copyOf(acknowledged));
    }

    /** {@code connections} sessions sending {@code messages} in all, each until the server goes away. */
    private List<Thread> startSenders(List<String> acknowledged, int connections, int messages) {
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread sender = new Thread(() -> sendUntilRefused(acknowledged, messages / connections));
            sender.start();
            senders.add(sender);
        }
        return senders;
    }

    /** One connection sending until the server goes away; each 250 after DATA is recorded. */
    private void sendUntilRefused(List<String> acknowledged, int messages) {
        try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
            for (int i = 0; i < messages; i++) {
                String messageId = Messages.newMessageId();
                client.send("app@example.com", "user@example.net",
                    Messages.simple(messageId, "app@example.com", "user@example.net", "load " + i, "body " + i + "\r\n"));
                acknowledged.add(messageId);
            }
        } catch (Exception killed) {
            // The server was killed: what was acknowledged so far is what must arrive.
        }
    }

    /**
     * Waits for every acknowledged Message-ID at the sink, after one restart. A mail not delivered fails the test with
     * what the server saw; its home is kept, with a thread dump, for inspection.
     */
    private void awaitDelivered(List<String> acknowledged) throws Exception {
        try {
            await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1))
                .until(() -> deliveredIds().containsAll(acknowledged));
        } catch (ConditionTimeoutException e) {
            String log = server.log();
            Set<String> missing = new HashSet<>(acknowledged);
            missing.removeAll(deliveredIds());
            Set<String> deliveredNames = log.lines().filter(line -> line.contains("status=delivered"))
                .map(line -> line.replaceAll(".*RouteDelivery - ([^:]+):.*", "$1")).collect(Collectors.toSet());
            String queues = server.webAdmin().get("/mailQueues/spool").body() + " "
                + server.webAdmin().get("/mailQueues/outgoing").body();
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
        assertThat(counts.keySet()).containsAll(acknowledged);
    }

    /** The server's home, queue store included, copied where a failed run can be examined. */
    private void keepForInspection() throws IOException {
        Path kept = Path.of("target", "durability-failure-" + System.currentTimeMillis());
        Distribution.copyTree(home, kept);
        try {
            Files.writeString(kept.resolve("threads.txt"), server.threadDump());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.err.println("DurabilityIT: server home kept in " + kept.toAbsolutePath());
    }

    private Set<String> deliveredIds() {
        return sink.received().stream().map(received -> received.header("Message-ID")).collect(Collectors.toCollection(HashSet::new));
    }
}
