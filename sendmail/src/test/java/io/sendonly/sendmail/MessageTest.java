package io.sendonly.sendmail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class MessageTest {
    @Test
    void bccShouldBeRemovedAndLfBecomeCrlf() throws Exception {
        Message message = Message.parse("To: a@example.net\nBcc: hidden@example.net,\n  other@example.net\nSubject: s\n\nbody\n"
            .getBytes(StandardCharsets.UTF_8));

        assertThat(message.values("bcc")).hasSize(1);
        message.remove("bcc");

        assertThat(new String(message.bytes(), StandardCharsets.UTF_8)).isEqualTo("To: a@example.net\r\nSubject: s\r\n\r\nbody\r\n");
    }

    @Test
    void aLineThatIsNoHeaderShouldBeBadInput() {
        assertThatThrownBy(() -> Message.parse("To: a@example.net\nthis is not a header\n\nbody\n".getBytes(StandardCharsets.UTF_8)))
            .isInstanceOf(SendmailException.class)
            .hasMessageContaining("malformed header at line 2")
            .extracting(e -> ((SendmailException) e).exitCode()).isEqualTo(SendmailException.EX_DATAERR);
    }

    @Test
    void dotStuffingShouldDoubleLeadingDots() {
        assertThat(new String(Submission.dotStuff(".a\r\nb.\r\n..c\r\n".getBytes(StandardCharsets.US_ASCII)), StandardCharsets.US_ASCII))
            .isEqualTo("..a\r\nb.\r\n...c\r\n");
    }
}
