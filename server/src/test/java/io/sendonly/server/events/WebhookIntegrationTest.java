package io.sendonly.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sendonly.events.EventType;
import io.sendonly.events.MessageEvent;
import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.ConfFile;
import io.sendonly.server.testing.TestServer;
import io.sendonly.server.testing.WebhookReceiver;

/**
 * Webhooks against the real server and a real HTTP receiver on loopback: events published while the receiver is down
 * all arrive once it is up, in order, each signed; events pending at a restart are sent after it; a 500 is retried
 * with growing delays.
 */
class WebhookIntegrationTest {
    private static final String SECRET = "9b2f6c0e4a8d1f3b5c7e9a0b2d4f6a8c";
    private static final Duration ARRIVAL = Duration.ofSeconds(30);

    @TempDir
    Path workingDirectory;

    @RegisterExtension
    final Closer closer = new Closer();

    private final ObjectMapper mapper = new ObjectMapper();
    private WebhookReceiver receiver;
    private TestServer server;

    @BeforeEach
    void prepare() throws Exception {
        receiver = closer.register(WebhookReceiver.down());
        server = closer.register(TestServer.prepare(workingDirectory));
        Path secret = server.conf("webhook.secret");
        Files.writeString(secret, SECRET + "\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        ConfFile.write(server.conf("events.xml"), "<events><webhooks><webhook><name>test</name><url>" + receiver.url()
            + "</url><secretFile>conf/webhook.secret</secretFile><events>delivered,bounced</events><timeout>2s</timeout>"
            + "</webhook></webhooks></events>");
        server.start();
    }

    @Test
    void eventsPublishedWhileTheReceiverIsDownShouldAllArriveInOrderAndSigned() throws Exception {
        List<String> sent = new ArrayList<>();
        for (int index = 0; index < 20; index++) {
            server.events().publish(event(EventType.RECEIVED, index));
            sent.add(publish(index % 3 == 0 ? EventType.BOUNCED : EventType.DELIVERED, index));
        }
        Thread.sleep(1500);
        receiver.up();

        await().atMost(ARRIVAL).until(() -> firstArrivals().size() == sent.size());
        assertThat(firstArrivals()).containsExactlyElementsOf(sent);
        assertThat(receiver.requests()).allSatisfy(this::assertSignedEvent);
        assertThat(receiver.requests()).extracting(request -> mapper.readTree(request.body()).get("type").asText())
            .containsOnly("DELIVERED", "BOUNCED");
    }

    @Test
    void eventsPendingAtARestartShouldBeSentAfterIt() throws Exception {
        List<String> sent = List.of(publish(EventType.DELIVERED, 1), publish(EventType.BOUNCED, 2), publish(EventType.DELIVERED, 3));

        server.restart();
        receiver.up();

        await().atMost(ARRIVAL).until(() -> firstArrivals().size() == sent.size());
        assertThat(firstArrivals()).containsExactlyElementsOf(sent);
        assertThat(receiver.requests()).allSatisfy(this::assertSignedEvent);
    }

    @Test
    void aReceiverAnswering500ShouldBeRetriedWithGrowingDelays() throws Exception {
        receiver.answering(number -> number <= 3 ? 500 : 200).up();

        String id = publish(EventType.DELIVERED, 1);

        await().atMost(ARRIVAL).until(() -> receiver.requests().size() >= 4);
        List<WebhookReceiver.Request> requests = receiver.requests();
        assertThat(requests).extracting(WebhookReceiver.Request::eventId).containsOnly(id);
        assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isBetween(Duration.ofMillis(900), Duration.ofMillis(1900));
        assertThat(Duration.between(requests.get(1).at(), requests.get(2).at())).isBetween(Duration.ofMillis(1900), Duration.ofMillis(3900));
        assertThat(Duration.between(requests.get(2).at(), requests.get(3).at())).isGreaterThanOrEqualTo(Duration.ofMillis(3900));
        // Acknowledged by the 200: not sent again.
        Thread.sleep(1500);
        assertThat(receiver.requests()).hasSize(4);
    }

    private String publish(EventType type, int index) {
        MessageEvent event = event(type, index);
        server.events().publish(event);
        return event.id();
    }

    private static MessageEvent event(EventType type, int index) {
        if (type == EventType.RECEIVED) {
            return MessageEvent.of(Instant.now(), type, "m" + index + "@example.com", "Mail" + index, Map.of("client", "127.0.0.1"));
        }
        boolean bounced = type == EventType.BOUNCED;
        return MessageEvent.of(Instant.now(), type, "m" + index + "@example.com", "Mail" + index, "r" + index + "@example.net",
            bounced ? "5.1.1" : "2.0.0", Map.of("reply", bounced ? "550 5.1.1 no such user" : "250 2.0.0 ok"));
    }

    /** Event ids in the order they first arrived: duplicates are allowed (at least once), reordering is not. */
    private List<String> firstArrivals() {
        return List.copyOf(new LinkedHashSet<>(receiver.requests().stream().map(WebhookReceiver.Request::eventId).toList()));
    }

    private void assertSignedEvent(WebhookReceiver.Request request) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal((request.timestamp() + "." + request.body())
            .getBytes(StandardCharsets.UTF_8)));
        assertThat(request.signature()).isEqualTo(expected);
        assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(request.timestamp()))).isLessThan(60);
        JsonNode body = mapper.readTree(request.body());
        assertThat(body.get("id").asText()).isEqualTo(request.eventId());
    }
}
