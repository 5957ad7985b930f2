package io.sendonly.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.sendonly.check.ClientIsTrusted;
import io.sendonly.deliver.DeliveryAttributes;

class PublishReceivedTest {
    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");

    private final Events events = new Events();
    private final List<MessageEvent> published = new ArrayList<>();
    private final PublishReceived mailet = new PublishReceived(events, Clock.fixed(NOW, ZoneOffset.UTC));

    @BeforeEach
    void setUp() throws Exception {
        events.subscribe(published::add);
        mailet.init(FakeMailetConfig.builder().mailetName("PublishReceived").build());
    }

    @Test
    void serviceShouldPublishTheClientOfAnSmtpMail() throws Exception {
        mailet.service(mail().remoteAddr("192.0.2.7").build());

        assertThat(published).singleElement().satisfies(event -> {
            assertThat(event.type()).isEqualTo(EventType.RECEIVED);
            assertThat(event.time()).isEqualTo(NOW);
            assertThat(event.messageId()).isEqualTo("4f3a@app.example");
            assertThat(event.queueId()).isEqualTo("Mail1");
            assertThat(event.details()).containsOnly(Map.entry("client", "192.0.2.7"), Map.entry("sender", "app@example.com"));
        });
    }

    @Test
    void serviceShouldPublishTheUidOfAMaildropMail() throws Exception {
        mailet.service(mail().attribute(new Attribute(ClientIsTrusted.LOCAL_SUBMITTER, AttributeValue.of(33))).build());

        assertThat(published).singleElement().satisfies(event -> assertThat(event.details()).containsEntry("uid", "33")
            .doesNotContainKey("client"));
    }

    @Test
    void serviceShouldPublishNothingForOurOwnReports() throws Exception {
        mailet.service(mail().attribute(new Attribute(DeliveryAttributes.IS_REPORT, AttributeValue.of(true))).build());

        assertThat(published).isEmpty();
    }

    private static FakeMail.Builder mail() throws Exception {
        return FakeMail.builder().name("Mail1").sender("app@example.com").recipient("alice@example.net")
            .mimeMessage(MimeMessageBuilder.mimeMessageBuilder().addHeader("Message-ID", "<4f3a@app.example>").setText("hi"));
    }
}
