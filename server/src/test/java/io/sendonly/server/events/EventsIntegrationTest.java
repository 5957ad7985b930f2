package io.sendonly.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sendonly.dkim.TestKeys;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.OperatorCommands;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.TestServer;

/**
 * The events of real mail through the real server, read back through the trace: a next hop answering each recipient
 * 250, 450, 550 5.1.1, 552 5.2.2 or 554 5.7.1, and one that says nothing; each deferral retried until the queue
 * lifetime is over.
 */
class EventsIntegrationTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String SENDER = "app@example.com";
    private static final String OK = "ok@example.net";
    private static final String LATER = "later@example.net";
    private static final String UNKNOWN = "nobody@example.net";
    private static final String FULL = "full@example.net";
    private static final String POLICY = "policy@example.net";
    private static final String SILENT = "anyone@silent.example";

    private final SmtpSink silent = SmtpSink.start();

    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(this::configure);

    EventsIntegrationTest() throws Exception {
        silent.greetWith("");
    }

    private TestServer configure(TestServer server) {
        try {
            Path dkim = server.conf("dkim");
            TestKeys.write(dkim.resolve("keys/mail.private"), TestKeys.rsa(2048).getPrivate(), "rw-------");
            Files.writeString(dkim.resolve("KeyTable"), "mail example.com:mail:keys/mail.private\n");
            Files.writeString(dkim.resolve("SigningTable"), "*@example.com mail\n");
            String routes = Files.readString(server.conf("routes"));
            return server.routes(routes + "recipient silent.example [127.0.0.1]:" + silent.port() + "\n")
                .delivery("retrySchedule", "1s")
                .delivery("maxQueueLifetime", "3s")
                .delivery("delayWarningTime", "")
                .delivery("timeout", "1s");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stopSilentHop() throws Exception {
        silent.close();
    }

    @Test
    void eachStateChangeShouldBeOneEventInOrderWithItsClassAndTheTraceShouldFindIt() throws Exception {
        relayed.sink().rejectRecipient(LATER, "450 4.2.0 try again later");
        relayed.sink().rejectRecipient(UNKNOWN, "550 5.1.1 no such user");
        relayed.sink().rejectRecipient(FULL, "552 5.2.2 mailbox full");
        relayed.sink().rejectRecipient(POLICY, "554 5.7.1 rejected by policy");
        String messageId = Messages.newMessageId();
        String id = messageId.substring(1, messageId.length() - 1);
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send(SENDER, List.of(OK, LATER, UNKNOWN, FULL, POLICY, SILENT),
                Messages.simple(messageId, SENDER, OK, "Reset your password", "body\r\n"));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> count(trace("messageId=" + encode(id)), "EXPIRED") == 2
            && count(trace("messageId=" + encode(id)), "REPORTED") >= 4);
        List<JsonNode> events = trace("messageId=" + encode(id));

        assertThat(events.get(0).get("type").asText()).isEqualTo("RECEIVED");
        assertThat(events.get(0).get("details").get("client").asText()).isEqualTo("127.0.0.1");
        assertThat(events.get(1).get("type").asText()).isEqualTo("SIGNED");
        assertThat(events.get(1).get("details").get("keys").asText()).isEqualTo("example.com/mail");
        assertThat(outcomes(events, OK)).containsExactly("ATTEMPT 2.0.0 -", "DELIVERED 2.0.0 -");
        assertThat(outcomes(events, UNKNOWN)).containsExactly("ATTEMPT 5.1.1 HARD", "BOUNCED 5.1.1 HARD");
        assertThat(outcomes(events, FULL)).containsExactly("ATTEMPT 5.2.2 SOFT", "BOUNCED 5.2.2 SOFT");
        assertThat(outcomes(events, POLICY)).containsExactly("ATTEMPT 5.7.1 POLICY", "BOUNCED 5.7.1 POLICY");
        assertThat(outcomes(events, LATER)).startsWith("ATTEMPT 4.2.0 SOFT", "DEFERRED 4.2.0 SOFT").endsWith("EXPIRED 5.4.7 EXPIRED");
        assertThat(outcomes(events, SILENT)).anyMatch(outcome -> outcome.matches("ATTEMPT 4\\.[0-9.]+ [A-Z]+"))
            .anyMatch(outcome -> outcome.matches("DEFERRED 4\\.[0-9.]+ [A-Z]+")).endsWith("EXPIRED 5.4.7 EXPIRED");
        JsonNode delivered = events.stream().filter(event -> event.get("type").asText().equals("DELIVERED")).findFirst().orElseThrow();
        assertThat(delivered.get("details").get("relay").asText()).isEqualTo("127.0.0.1[127.0.0.1]:" + relayed.sink().port());
        assertThat(delivered.get("details").get("tls").asText()).isEqualTo("none");
        assertThat(delivered.get("details").get("delay").asText()).matches("[0-9]+\\.[0-9]{3}");
        assertThat(events.stream().filter(event -> event.get("type").asText().equals("QUEUED"))).isNotEmpty()
            .allMatch(event -> event.get("details").has("retries"));
        assertThat(events.stream().filter(event -> event.get("type").asText().equals("REPORTED"))
            .map(event -> event.get("details").get("report").asText() + " " + event.get("details").get("to").asText()))
            .contains("failed " + SENDER);

        String queueId = events.get(0).get("queueId").asText();
        assertThat(trace("queueId=" + encode(queueId))).extracting(event -> event.get("id").asText())
            .containsExactlyElementsOf(events.stream().map(event -> event.get("id").asText()).toList());
        assertThat(trace("recipient=" + encode(UNKNOWN)).stream().map(event -> event.get("type").asText()))
            .containsExactly("ATTEMPT", "BOUNCED");
        assertPrivate(relayed.server().workingDirectory().resolve("var/log/events"));
    }

    @Test
    void aStartTlsHopShouldBeRecordedWithItsProtocolAndCipher() throws Exception {
        try (SmtpSink tls = SmtpSink.startWithStartTls()) {
            relayed.server().routes("default [127.0.0.1]:" + tls.port() + "\n");
            String messageId = Messages.newMessageId();
            String id = messageId.substring(1, messageId.length() - 1);
            try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
                client.send(SENDER, List.of(OK), Messages.simple(messageId, SENDER, OK, "TLS", "body\r\n"));
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> count(trace("messageId=" + encode(id)), "DELIVERED") == 1);
            JsonNode attempt = trace("messageId=" + encode(id)).stream().filter(event -> event.get("type").asText().equals("ATTEMPT"))
                .findFirst().orElseThrow();
            assertThat(attempt.get("details").get("tls").asText()).startsWith("TLSv1.");
            assertThat(attempt.get("details").get("cipher").asText()).startsWith("TLS_");

            OperatorCommands commands = OperatorCommands.of(relayed.server());
            OperatorCommands.Result trace = commands.run("sendonly", "trace", "--message-id", id);
            assertThat(trace.exitCode()).isZero();
            assertThat(trace.out()).startsWith("TIME").contains("TYPE", "RECIPIENT", "STATUS", "CLASS");
            assertThat(trace.out()).contains("RECEIVED", "ATTEMPT", "DELIVERED", OK, "tls=TLSv1.");
            assertThat(commands.run("sendonly", "trace", "--recipient=nobody@nowhere.example").exitCode()).isEqualTo(67);
            assertThat(commands.run("sendonly", "trace", "--since", "yesterday").exitCode()).isEqualTo(65);
            assertThat(commands.run("sendonly", "trace").exitCode()).isEqualTo(64);
        }
    }

    /** The files as a stop leaves them, read without the server (EventLogTest proves the queue is written at close). */
    @Test
    void theLogFilesShouldHoldEveryEventInOrderAfterAStop() throws Exception {
        String messageId = Messages.newMessageId();
        try (SmtpClient client = SmtpClient.connect(relayed.server().smtpPort())) {
            client.send(SENDER, List.of(OK), Messages.simple(messageId, SENDER, OK, "Stop", "body\r\n"));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !relayed.sink().received().isEmpty());

        relayed.server().stop();

        String log;
        try (Stream<Path> files = Files.list(relayed.server().workingDirectory().resolve("var/log/events"))) {
            StringBuilder all = new StringBuilder();
            for (Path file : files.sorted().toList()) {
                all.append(Files.readString(file));
            }
            log = all.toString();
        }
        String id = messageId.substring(1, messageId.length() - 1);
        assertThat(log.lines().filter(line -> line.contains("\"messageId\":\"" + id + "\""))
            .map(line -> line.replaceAll(".*\"type\":\"([A-Z]+)\".*", "$1")))
            .containsExactly("RECEIVED", "SIGNED", "ATTEMPT", "DELIVERED");
    }

    private List<JsonNode> trace(String query) throws Exception {
        HttpResponse<String> response = relayed.webAdmin().get("/sendonly/messages?" + query);
        assertThat(response.statusCode()).isEqualTo(200);
        List<JsonNode> events = new ArrayList<>();
        MAPPER.readTree(response.body()).forEach(events::add);
        return events;
    }

    private static long count(List<JsonNode> events, String type) {
        return events.stream().filter(event -> event.get("type").asText().equals(type)).count();
    }

    /** Each event of the recipient as "TYPE status class", the class "-" when none. */
    private static List<String> outcomes(List<JsonNode> events, String recipient) {
        return events.stream().filter(event -> event.path("recipient").asText().equals(recipient))
            .map(event -> event.get("type").asText() + " " + event.get("status").asText() + " " + event.path("bounceClass").asText("-"))
            .toList();
    }

    private static void assertPrivate(Path folder) throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(folder))).isEqualTo("rwx------");
        List<Path> files;
        try (Stream<Path> entries = Files.list(folder)) {
            files = entries.toList();
        }
        assertThat(files).isNotEmpty();
        for (Path file : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
