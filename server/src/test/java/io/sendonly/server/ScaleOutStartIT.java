package io.sendonly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.BrokerProcess;
import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.ConfFile;
import io.sendonly.server.testing.Distribution;

/** A node whose brokers are not up yet waits for them, saying so in its log, and opens SMTP once one serves. */
class ScaleOutStartIT {
    private static final String USER = "sendonly-node";
    private static final String PASSWORD = "start-test-secret";

    @TempDir
    Path home;

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void aNodeShouldWaitForItsBrokersAndStartWhenOneServes() throws Exception {
        assumeTrue(Boolean.getBoolean("sendonly.scaleout"), "scale-out tests run with -Pscaleout");
        int brokerPort = Distribution.freePort();
        Distribution node = closer.register(Distribution.copyTo(home.resolve("node")));
        Path credentials = node.conf("queue.credentials");
        Files.writeString(credentials, "user=" + USER + "\npassword=" + PASSWORD + "\n");
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
        ConfFile.write(node.conf("queue.properties"), "engine=external\n"
            + "broker.url=failover:(tcp://127.0.0.123:" + brokerPort + ")?initialReconnectDelay=100&maxReconnectDelay=1000\n"
            + "broker.credentials=conf/queue.credentials\n");

        CompletableFuture<Void> started = CompletableFuture.runAsync(() -> {
            try {
                node.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(node.home().resolve("server.log"))
            && node.log().contains("continuing to retry"));
        assertThat(Distribution.accepts(node.smtpPort())).as("SMTP open before the queue is reachable").isFalse();
        assertThat(node.log()).doesNotContain(PASSWORD);

        closer.register(BrokerProcess.start("127.0.0.123", brokerPort, home.resolve("store"), USER, PASSWORD))
            .awaitServing(Duration.ofSeconds(60));
        started.get(90, TimeUnit.SECONDS);
        assertThat(Distribution.accepts(node.smtpPort())).isTrue();
    }
}
