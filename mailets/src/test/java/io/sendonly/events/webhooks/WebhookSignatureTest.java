package io.sendonly.events.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final Webhook.Secret SECRET = new Webhook.Secret("0123456789abcdef-secret".getBytes(StandardCharsets.UTF_8));

    @Test
    void signShouldMatchAnIndependentHmacOfTimestampDotBody() {
        // python3: hmac.new(b'0123456789abcdef-secret', b'1764503362.{"id":"e1"}', hashlib.sha256).hexdigest()
        assertThat(WebhookSignature.sign(SECRET, "1764503362", "{\"id\":\"e1\"}"))
            .isEqualTo("sha256=b1e19ddc89f066e5abc5ad41dda39aa237d193c7a4d2d9adf3e64652d6aede47");
    }

    @Test
    void signShouldChangeWithTheTimestamp() {
        assertThat(WebhookSignature.sign(SECRET, "1764503363", "{\"id\":\"e1\"}"))
            .isNotEqualTo(WebhookSignature.sign(SECRET, "1764503362", "{\"id\":\"e1\"}"));
    }

    @Test
    void signShouldChangeWithTheSecret() {
        Webhook.Secret other = new Webhook.Secret("0123456789abcdef-other".getBytes(StandardCharsets.UTF_8));

        assertThat(WebhookSignature.sign(other, "1764503362", "{}")).isNotEqualTo(WebhookSignature.sign(SECRET, "1764503362", "{}"));
    }
}
