package io.sendonly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.BrokerProcess;
import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.ConfFile;
import io.sendonly.server.testing.Distribution;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.WebAdmin;

/**
 * The scale-out profile with real processes on loopback: a shared-store pair of ActiveMQ brokers, two nodes whose
 * conf/queue.properties points at the pair, 20 clients sending across both nodes to one SMTP sink. Whatever is killed
 * with -9 (one node, the serving broker), every mail a node answered 250 arrives; duplicates are counted and printed.
 * Mail one node accepted is counted, browsed and flushed through the other's webadmin.
 * Runs with the {@code scaleout} Maven profile (CI's .ci/run), skipped otherwise.
 */
class ScaleOutIT {
    private static final String BROKER_USER = "sendonly-node";
    private static final String BROKER_PASSWORD = "broker-secret-for-the-test";
    private static final int CONNECTIONS = 20;
    private static final int MESSAGES = 1000;
    /** Seconds, not the shipped minutes: a delivery cut by a kill is retried within the test. */
    private static final String QUICK_RETRIES = "2s";
    private static final int DEFERRED = 10;

    @TempDir
    Path home;

    @RegisterExtension
    final Closer closer = new Closer();

    private BrokerProcess serving;
    private BrokerProcess standby;
    private SmtpSink sink;
    private Distribution nodeA;
    private Distribution nodeB;
    /** Message-ID → when a node answered 250 to it. */
    private final Map<String, Instant> acknowledged = new ConcurrentHashMap<>();

    @BeforeEach
    void requireProfile() {
        assumeTrue(Boolean.getBoolean("sendonly.scaleout"), "scale-out tests run with -Pscaleout");
    }

    /** The broker pair, the sink and two nodes whose deliveries that failed are retried after {@code retrySchedule}. */
    private void startCluster(String retrySchedule) throws Exception {
        Path store = home.resolve("shared-store");
        serving = closer.register(BrokerProcess.start("127.0.0.120", Distribution.freePort(), store, BROKER_USER, BROKER_PASSWORD));
        serving.awaitServing(Duration.ofSeconds(60));
        standby = closer.register(BrokerProcess.start("127.0.0.121", Distribution.freePort(), store, BROKER_USER, BROKER_PASSWORD));
        sink = closer.register(SmtpSink.start(InetAddress.getByName("127.0.0.122"), Distribution.freePort()));
        nodeA = closer.register(node("node-a", retrySchedule));
        nodeB = closer.register(node("node-b", retrySchedule));
        nodeA.start();
        nodeB.start();
    }

    @Test
    void everyMailANodeAcknowledgedShouldBeDeliveredByTheOtherAfterKillMinusNine() throws Exception {
        startCluster(QUICK_RETRIES);
        Instant start = Instant.now();
        List<Thread> senders = startSenders();
        await().atMost(Duration.ofSeconds(120)).until(() -> acknowledged.size() >= MESSAGES * 2 / 5);
        Duration untilKill = Duration.between(start, Instant.now());
        int acknowledgedAtKill = acknowledged.size();
        nodeA.kill();
        join(senders);

        System.out.printf("scale-out, node kill: %d acknowledged in %d ms by both nodes before kill -9 of node A (%.0f msgs/s)%n",
            acknowledgedAtKill, untilKill.toMillis(), acknowledgedAtKill * 1000.0 / untilKill.toMillis());
        awaitDelivered("node kill", nodeB);
    }

    @Test
    void everyAcknowledgedMailShouldBeDeliveredAfterKillMinusNineOfTheServingBroker() throws Exception {
        startCluster(QUICK_RETRIES);
        List<Thread> senders = startSenders();
        await().atMost(Duration.ofSeconds(120)).until(() -> acknowledged.size() >= MESSAGES * 2 / 5);
        Instant killed = Instant.now();
        serving.kill();
        Instant takenOver = standby.awaitServing(Duration.ofSeconds(60));
        join(senders);

        Instant firstAfter = acknowledged.values().stream().filter(at -> at.isAfter(takenOver)).min(Instant::compareTo)
            .orElseThrow(() -> new AssertionError("no mail acknowledged after the standby broker took over"));
        System.out.printf("scale-out, broker kill: standby serving %d ms after kill -9, first 250 after it %d ms after kill -9%n",
            Duration.between(killed, takenOver).toMillis(), Duration.between(killed, firstAfter).toMillis());
        awaitDelivered("broker kill", nodeA, nodeB);
    }

    @Test
    void mailAcceptedByOneNodeShouldBeCountedBrowsedAndFlushedThroughTheOther() throws Exception {
        startCluster("1h");
        sink.greetWith("421 4.3.2 busy");
        try (SmtpClient client = SmtpClient.connect(nodeA.smtpPort())) {
            for (int i = 0; i < DEFERRED; i++) {
                String messageId = Messages.newMessageId();
                client.send("app@example.com", "user@example.net",
                    Messages.simple(messageId, "app@example.com", "user@example.net", "deferred " + i, "body\r\n"));
                acknowledged.put(messageId, Instant.now());
            }
        }
        WebAdmin otherNode = nodeB.webAdmin();
        await().atMost(Duration.ofSeconds(60)).until(() -> otherNode.get("/mailQueues/outgoing").body().contains("\"size\":" + DEFERRED));
        assertThat(otherNode.get("/mailQueues/outgoing/mails").body().split("\"name\":", -1)).hasSize(DEFERRED + 1);

        sink.greetWith("220 sink ESMTP");
        assertThat(otherNode.patch("/mailQueues/outgoing/mails?delayed=true", "{\"delayed\": false}").statusCode()).isEqualTo(204);
        awaitDelivered("queue through the other node", nodeA, nodeB);
    }

    private Distribution node(String name, String retrySchedule) throws Exception {
        Distribution node = Distribution.copyTo(home.resolve(name));
        ConfFile.write(node.conf("routes"), "default [127.0.0.122]:" + sink.port() + "\n");
        ConfFile.of(node.conf("mailetcontainer.xml"))
            .set("//mailet[@class='io.sendonly.deliver.RouteDelivery']/retrySchedule", retrySchedule)
            .save();
        Path credentials = node.conf("queue.credentials");
        Files.writeString(credentials, "user=" + BROKER_USER + "\npassword=" + BROKER_PASSWORD + "\n");
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
        ConfFile.write(node.conf("queue.properties"), "engine=external\n"
            + "broker.url=failover:(" + serving.url() + "," + standby.url() + ")?initialReconnectDelay=100&maxReconnectDelay=1000\n"
            + "broker.credentials=conf/queue.credentials\n");
        return node;
    }

    /** Half the connections to each node, each sending its share and reconnecting after a failure until its share is done. */
    private List<Thread> startSenders() {
        List<Thread> senders = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Distribution node = c % 2 == 0 ? nodeA : nodeB;
            Thread sender = new Thread(() -> send(node, MESSAGES / CONNECTIONS), "sender-" + c);
            sender.start();
            senders.add(sender);
        }
        return senders;
    }

    /** One client's share: each 250 after DATA is recorded; a message not answered 250 is not sent again. */
    private void send(Distribution node, int messages) {
        SmtpClient client = null;
        for (int i = 0; i < messages; i++) {
            String messageId = Messages.newMessageId();
            try {
                if (client == null) {
                    client = SmtpClient.connect(node.smtpPort());
                }
                client.send("app@example.com", "user@example.net",
                    Messages.simple(messageId, "app@example.com", "user@example.net", "scale-out " + i, "body " + i + "\r\n"));
                acknowledged.put(messageId, Instant.now());
            } catch (Exception failed) {
                closeQuietly(client);
                client = null;
            }
        }
        closeQuietly(client);
    }

    private static void closeQuietly(SmtpClient client) {
        try {
            if (client != null) {
                client.close();
            }
        } catch (Exception ignored) {
            // The node or its connection is gone: nothing to close.
        }
    }

    private static void join(List<Thread> senders) throws InterruptedException {
        for (Thread sender : senders) {
            sender.join(Duration.ofSeconds(120).toMillis());
        }
    }

    private void awaitDelivered(String scenario, Distribution... survivors) throws Exception {
        Set<String> expected = Set.copyOf(acknowledged.keySet());
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> deliveredIds().containsAll(expected));
        } catch (ConditionTimeoutException e) {
            Set<String> missing = new HashSet<>(expected);
            missing.removeAll(deliveredIds());
            StringBuilder logs = new StringBuilder();
            for (Distribution survivor : survivors) {
                logs.append(survivor.home()).append(":\n").append(survivor.log().lines()
                    .filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).distinct().limit(30)
                    .collect(Collectors.joining("\n"))).append('\n');
            }
            throw new AssertionError(scenario + ": " + missing.size() + " of " + expected.size() + " acknowledged mails not delivered, e.g. "
                + missing.stream().limit(5).toList() + "\n" + logs, e);
        }
        Map<String, Long> counts = sink.received().stream()
            .collect(Collectors.groupingBy(received -> received.header("Message-ID"), Collectors.counting()));
        long duplicates = counts.values().stream().mapToLong(count -> count - 1).sum();
        System.out.printf("scale-out, %s: %d acknowledged, %d delivered, %d duplicates%n", scenario, expected.size(), counts.size(), duplicates);
        assertThat(counts.keySet()).containsAll(expected);
        for (Distribution survivor : survivors) {
            // Queued mail, bodies included, lives in the shared brokers only: no node keeps a store of its own.
            assertThat(survivor.home().resolve("var/store/activemq")).doesNotExist();
        }
    }

    private Set<String> deliveredIds() {
        return sink.received().stream().map(received -> received.header("Message-ID")).collect(Collectors.toCollection(HashSet::new));
    }
}
