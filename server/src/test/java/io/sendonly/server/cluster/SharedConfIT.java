package io.sendonly.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import com.google.common.net.InetAddresses;

import io.sendonly.dkim.IndependentVerifiers;
import io.sendonly.server.testing.ConfFile;
import io.sendonly.server.testing.Distribution;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.WebAdmin;

/**
 * Two server processes sharing one conf/ folder, as two machines mount one shared folder (docs/scale-out.md): a
 * change made through node A's webadmin is what node B uses for its next message or connection.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SharedConfIT {
    private static final String SMTP_PORT = "SENDONLY_NODE_SMTP_PORT";
    private static final String WEBADMIN_PORT = "SENDONLY_NODE_WEBADMIN_PORT";
    private static final Pattern TXT = Pattern.compile("\"txt\":\"([^\"]+)\"");
    private static final Duration BOUNDED = Duration.ofSeconds(10);
    private static final Duration DELIVERY = Duration.ofSeconds(30);
    private static final int EDITS = 40;

    private final InetAddress sinkAddress = InetAddresses.forString("127.0.0.142");
    private final InetAddress partnerAddress = InetAddresses.forString("127.0.0.144");
    private final InetAddress newClient = InetAddresses.forString("127.0.0.143");
    private final InetAddress untrustedClient = InetAddresses.forString("127.0.0.145");

    private SmtpSink sink;
    private SmtpSink partner;
    private Distribution nodeA;
    private Distribution nodeB;

    @BeforeAll
    void startTwoNodesOnOneConf(@TempDir Path home) throws Exception {
        sink = SmtpSink.start(sinkAddress, Distribution.freePort());
        partner = SmtpSink.start(partnerAddress, Distribution.freePort());
        nodeA = Distribution.copyTo(home.resolve("a"));
        nodeB = Distribution.copyTo(home.resolve("b"));
        nodeB.shareConfOf(nodeA);
        // The suppression list's folder too, as docs/scale-out.md shows: a link in each node's var/.
        Path suppressions = Files.createDirectories(nodeA.home().resolve("var/suppressions"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(nodeB.home().resolve("var/suppressions"), suppressions);
        // One file for both nodes: each node's own ports come from its environment.
        ConfFile.of(nodeA.conf("smtpserver.xml")).set("/smtpservers/smtpserver/bind", "127.0.0.1:${env:" + SMTP_PORT + "}").save();
        Files.writeString(nodeA.conf("webadmin.properties"),
            Files.readString(nodeA.conf("webadmin.properties")).replaceFirst("(?m)^port=.*$", "port=\\${env:" + WEBADMIN_PORT + "}"));
        ConfFile.write(nodeA.conf("routes"), "default [127.0.0.142]:" + sink.port() + "\n");
        ConfFile.write(nodeA.conf("TrustedHosts"), "127.0.0.1/32\n");
        ConfFile.of(nodeA.conf("usersrepository.xml")).set("/usersrepository/usersFile", "file://conf/passwd").save();
        start(nodeA);
        start(nodeB);
    }

    @AfterAll
    void stopEverything() throws Exception {
        for (AutoCloseable started : new AutoCloseable[] {nodeA, nodeB, sink, partner}) {
            if (started != null) {
                started.close();
            }
        }
    }

    @Test
    void routeAddedThroughNodeAShouldTakeNodeBsNextMessage() throws Exception {
        HttpResponse<String> added = nodeA.webAdmin().post("/sendonly/routes",
            "{\"match\":\"recipient\",\"domain\":\"example.org\",\"hop\":\"[127.0.0.144]:" + partner.port() + "\"}");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(201);

        String messageId = send(nodeB, InetAddress.getLoopbackAddress(), "user@example.org", "routed by A's table");

        await().atMost(DELIVERY).until(() -> partner.received().stream().anyMatch(mail -> messageId.equals(mail.header("Message-ID"))));
        assertThat(sink.received()).noneMatch(mail -> messageId.equals(mail.header("Message-ID")));
    }

    @Test
    void keyGeneratedOnNodeAShouldSignOnNodeB() throws Exception {
        HttpResponse<String> generated = nodeA.webAdmin().post("/sendonly/dkim/keys",
            "{\"domain\":\"example.com\",\"selector\":\"shared\",\"bits\":2048}");
        assertThat(generated.statusCode()).as(generated.body()).isEqualTo(201);
        Matcher txt = TXT.matcher(generated.body());
        assertThat(txt.find()).isTrue();
        assertThat(nodeA.webAdmin().post("/sendonly/dkim/signingTable",
            "{\"pattern\":\"*@example.com\",\"key\":\"shared._domainkey.example.com\"}").statusCode()).isEqualTo(201);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nodeB.conf("dkim/keys/example.com/shared.private"))))
            .isEqualTo("rw-------");

        String messageId = send(nodeB, InetAddress.getLoopbackAddress(), "user@example.net", "signed with A's key");

        await().atMost(DELIVERY).until(() -> sink.received().stream().anyMatch(mail -> messageId.equals(mail.header("Message-ID"))));
        SmtpSink.Received signed = sink.received().stream().filter(mail -> messageId.equals(mail.header("Message-ID"))).findFirst().orElseThrow();
        assertThat(signed.header("DKIM-Signature")).contains("d=example.com").contains("s=shared");
        IndependentVerifiers.assertVerified(IndependentVerifiers.verify(signed.data(), "example.com",
            Map.of("shared._domainkey.example.com", txt.group(1))), "signed by node B");
    }

    @Test
    void networkTrustedThroughNodeAShouldRelayThroughNodeB() throws Exception {
        assertThat(rcptFrom(nodeB, newClient)).isEqualTo(554);

        assertThat(nodeA.webAdmin().post("/sendonly/trustedNetworks", "{\"network\":\"127.0.0.143/32\"}").statusCode()).isEqualTo(201);

        await().atMost(BOUNDED).until(() -> rcptFrom(nodeB, newClient) == 250);
        String messageId = send(nodeB, newClient, "user@example.net", "relayed by a network A trusts");
        await().atMost(DELIVERY).until(() -> sink.received().stream().anyMatch(mail -> messageId.equals(mail.header("Message-ID"))));
    }

    @Test
    void userAddedThroughNodeAShouldAuthenticateOnNodeB() throws Exception {
        assertThat(nodeA.webAdmin().put("/users/webapp", "{\"password\":\"a long secret\"}").statusCode()).isEqualTo(204);

        assertThat(nodeB.webAdmin().get("/users").body()).isEqualTo("[{\"username\":\"webapp\"}]");
        try (SmtpClient smtp = SmtpClient.connect(nodeB.smtpPort(), untrustedClient)) {
            smtp.startTls();
            assertThat(smtp.authPlain("webapp", "a long secret")).isTrue();
            assertThat(smtp.mailFrom("app@example.com")).isEqualTo(250);
            assertThat(smtp.rcptTo("user@example.net")).isEqualTo(250);
        }
    }

    @Test
    void settingsChangedThroughNodeAShouldApplyOnNodeB() throws Exception {
        HttpResponse<String> changed = nodeA.webAdmin().put("/sendonly/settings",
            "{\"defaultDomain\":\"shared.example\",\"adminAddress\":\"ops@shared.example\"}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);

        await().atMost(BOUNDED).untilAsserted(() -> assertThat(nodeB.webAdmin().get("/sendonly/settings").body())
            .isEqualTo("{\"defaultDomain\":\"shared.example\",\"adminAddress\":\"ops@shared.example\"}"));
    }

    @Test
    void addressSuppressedThroughNodeAShouldNotBeTriedByNodeB() throws Exception {
        assertThat(nodeA.webAdmin().post("/sendonly/suppressions", "{\"address\":\"listed@example.net\"}").statusCode()).isEqualTo(201);

        assertThat(nodeB.webAdmin().get("/sendonly/suppressions/listed@example.net").statusCode()).isEqualTo(200);
        String messageId = Messages.newMessageId();
        try (SmtpClient smtp = SmtpClient.connect(nodeB.smtpPort())) {
            smtp.send("app@example.com", List.of("listed@example.net", "other@example.net"),
                Messages.simple(messageId, "app@example.com", "other@example.net", "one listed recipient", "body\r\n"));
        }
        await().atMost(DELIVERY).until(() -> sink.received().stream().anyMatch(mail -> messageId.equals(mail.header("Message-ID"))));
        assertThat(sink.received()).filteredOn(mail -> messageId.equals(mail.header("Message-ID")))
            .flatExtracting(SmtpSink.Received::rcptTo).containsExactly("other@example.net");

        assertThat(nodeB.webAdmin().delete("/sendonly/suppressions/listed@example.net").statusCode()).isEqualTo(204);
        assertThat(nodeA.webAdmin().get("/sendonly/suppressions/listed@example.net").statusCode()).isEqualTo(404);
    }

    @Test
    void editsMadeAtOnceOnBothNodesShouldAllLand() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < EDITS; i++) {
                WebAdmin node = (i % 2 == 0 ? nodeA : nodeB).webAdmin();
                String network = "{\"network\":\"10.1." + i + ".0/24\"}";
                answers.add(writers.submit(() -> node.post("/sendonly/trustedNetworks", network)));
            }
            for (Future<HttpResponse<String>> answer : answers) {
                assertThat(answer.get().statusCode()).as(answer.get().body()).isEqualTo(201);
            }
        } finally {
            writers.shutdownNow();
        }

        List<String> lines = Files.readAllLines(nodeA.conf("TrustedHosts"));
        for (int i = 0; i < EDITS; i++) {
            assertThat(lines).contains("10.1." + i + ".0/24");
        }
    }

    private static void start(Distribution node) throws Exception {
        node.start("bin/james-sendonly", Map.of(SMTP_PORT, String.valueOf(node.smtpPort()), WEBADMIN_PORT, String.valueOf(node.webAdminPort())));
    }

    private static String send(Distribution node, InetAddress from, String recipient, String subject) throws Exception {
        String messageId = Messages.newMessageId();
        try (SmtpClient smtp = SmtpClient.connect(node.smtpPort(), from)) {
            smtp.send("app@example.com", recipient, Messages.simple(messageId, "app@example.com", recipient, subject, "body\r\n"));
        }
        return messageId;
    }

    private static int rcptFrom(Distribution node, InetAddress from) throws Exception {
        try (SmtpClient smtp = SmtpClient.connect(node.smtpPort(), from)) {
            assertThat(smtp.mailFrom("app@example.com")).isEqualTo(250);
            return smtp.rcptTo("user@example.net");
        }
    }
}
