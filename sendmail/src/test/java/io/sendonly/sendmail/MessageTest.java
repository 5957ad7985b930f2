package io.sendonly.sendmail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MessageTest {
    @Test
    void bccShouldBeRemovedAndLfBecomeCrlf() {
        Message message = parse("To: a@example.net\nBcc: hidden@example.net,\n  other@example.net\nSubject: s\n\nbody\n");

        assertThat(message.values("bcc")).hasSize(1);
        message.remove("bcc");

        assertThat(text(message)).isEqualTo("To: a@example.net\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aLineThatIsNoHeaderShouldStartTheBody() {
        Message message = parse("To: a@example.net\nthis is not a header\nBcc: b@example.net\n\nmore\n");

        assertThat(message.values("bcc")).isEmpty();
        assertThat(text(message)).isEqualTo("To: a@example.net\r\n\r\nthis is not a header\r\nBcc: b@example.net\r\n\r\nmore\r\n");
    }

    @Test
    void aFirstLineThatIsNoHeaderShouldMakeItAllBody() {
        Message message = parse("Hello,\nTo: a@example.net\n");
        message.prepend("From: x@example.com");

        assertThat(message.values("to")).isEmpty();
        assertThat(text(message)).isEqualTo("From: x@example.com\r\n\r\nHello,\r\nTo: a@example.net\r\n");
    }

    @Test
    void aContinuationLineFirstShouldBeBody() {
        assertThat(parse(" folded\nSubject: s\n").values("subject")).isEmpty();
    }

    private static Message parse(String text) {
        return Message.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(Message message) {
        return new String(message.bytes(), StandardCharsets.UTF_8);
    }
}
