package io.sendonly.suppress;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.events.EventType;
import io.sendonly.events.Events;
import io.sendonly.events.MessageEvent;

/** A {@link SuppressionList} listening to the events, as the server wires it. */
class HardBouncesTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    @TempDir
    Path directory;
    private final Events events = new Events();

    private SuppressionList list(boolean perSenderDomain) throws Exception {
        return new SuppressionList(new SuppressionSettings(true, Duration.ofDays(30), perSenderDomain),
            directory.resolve(SuppressionList.FILE), events, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private void bounce(String recipient, String status, String reply, String sender) {
        events.publish(MessageEvent.of(NOW, EventType.BOUNCED, "id@app.example", "Mail1", recipient, status,
            Map.of("reply", reply, "sender", sender)));
    }

    @Test
    void aHardBounceShouldListTheRecipientForEverySenderUntilTheExpiry() throws Exception {
        SuppressionList list = list(false);

        bounce("Gone@example.net", "5.1.1", "550 5.1.1 no such user", "app@shop.example");

        assertThat(list.find("gone@example.net", Optional.of("news.example"))).contains(new Suppression("gone@example.net",
            Optional.empty(), NOW, NOW.plus(Duration.ofDays(30)), "5.1.1", "550 5.1.1 no such user"));
    }

    @Test
    void aHardBounceShouldListTheRecipientForItsSenderDomainOnlyWhenKeptPerSenderDomain() throws Exception {
        SuppressionList list = list(true);

        bounce("gone@example.net", "5.1.1", "550 5.1.1 no such user", "app@Shop.example");

        assertThat(list.find("gone@example.net", Optional.of("shop.example"))).isPresent();
        assertThat(list.find("gone@example.net", Optional.of("news.example"))).isEmpty();
    }

    @Test
    void otherBouncesShouldListNothing() throws Exception {
        SuppressionList list = list(false);

        bounce("full@example.net", "5.2.2", "552 5.2.2 mailbox full", "app@shop.example");
        bounce("spam@example.net", "5.7.1", "554 5.7.1 rejected by policy", "app@shop.example");
        events.publish(MessageEvent.of(NOW, EventType.DEFERRED, "id", "Mail1", "later@example.net", "4.1.1",
            Map.of("reply", "450 4.1.1 try later")));

        assertThat(list.store().search("", 0, 10)).isEmpty();
    }

    @Test
    void aHardBounceOfANullSenderMailShouldListNothingWhenKeptPerSenderDomain() throws Exception {
        SuppressionList list = list(true);

        bounce("gone@example.net", "5.1.1", "550 5.1.1 no such user", "");

        assertThat(list.store().search("", 0, 10)).isEmpty();
    }

    @Test
    void aDisabledListShouldListNothing() throws Exception {
        SuppressionList list = new SuppressionList(new SuppressionSettings(false, Duration.ofDays(30), false),
            directory.resolve(SuppressionList.FILE), events, Clock.fixed(NOW, ZoneOffset.UTC));

        bounce("gone@example.net", "5.1.1", "550 5.1.1 no such user", "app@shop.example");

        assertThat(list.store().search("", 0, 10)).isEmpty();
        assertThat(events.observed()).isFalse();
    }
}
