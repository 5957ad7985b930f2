package io.sendonly.sendmail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MaildropRecordTest {
    private static final byte[] MESSAGE = "Subject: hi\r\n\r\nR99:x@example.net\r\nline\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void recordShouldReadBackAsWritten() throws Exception {
        MaildropRecord record = new MaildropRecord(33, "www-data@example.com", List.of("a@example.net", "b@example.net"), MESSAGE);

        MaildropRecord read = MaildropRecord.parse(record.bytes());

        assertThat(read.uid()).isEqualTo(33);
        assertThat(read.sender()).isEqualTo("www-data@example.com");
        assertThat(read.recipients()).containsExactly("a@example.net", "b@example.net");
        assertThat(read.message()).isEqualTo(MESSAGE);
    }

    @Test
    void formatShouldBeTypeLengthValueRecords() {
        byte[] bytes = new MaildropRecord(0, "", List.of("a@example.net"), "x".getBytes(StandardCharsets.US_ASCII)).bytes();

        assertThat(new String(bytes, StandardCharsets.US_ASCII)).isEqualTo("SENDONLY-MAILDROP 1\nU1:0\nS0:\nR13:a@example.net\nM1:x\n");
    }

    @ParameterizedTest(name = "{index}")
    @ValueSource(strings = {"legit@example.com>\r\nRCPT TO:<injected@example.net", "a@example.com\nR13:b@example.net", "a@example.com\0",
        "<a@example.com>", "-oi@example.com"})
    void injectedFieldsShouldBeRefusedWhenWriting(String address) {
        assertThatThrownBy(() -> new MaildropRecord(33, address, List.of("a@example.net"), MESSAGE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MaildropRecord(33, "a@example.net", List.of(address), MESSAGE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fieldWhoseValueHidesARecordShouldBeRefusedWhenReading() {
        // A sender whose value holds a newline and a recipient record: the length makes it one value, a bad address.
        String hidden = "a@example.com\nR13:b@example.net";
        String file = "SENDONLY-MAILDROP 1\nU2:33\nS" + hidden.length() + ":" + hidden + "\nR13:a@example.net\nM1:x\n";

        assertMalformed(file, "bad sender address");
    }

    @ParameterizedTest(name = "{index}")
    @ValueSource(strings = {
        "Sender: <a@example.com>\nRecipient: <b@example.net>\n\nmessage",
        "SENDONLY-MAILDROP 1\nU2:33\nS13:a@example.com\nR13:b@example.net\nM1:x\nR13:c@example.net\n",
        "SENDONLY-MAILDROP 1\nU2:33\nS13:a@example.com\nR13:b@example.net\nM9:x\n",
        "SENDONLY-MAILDROP 1\nU2:33\nS13:a@example.com\nR13:b@example.net\n",
        "SENDONLY-MAILDROP 1\nU2:33\nS13:a@example.com\nM1:x\n",
        "SENDONLY-MAILDROP 1\nU2:33\nS14:a@example.com\nR13:b@example.net\nM1:x\n",
        "SENDONLY-MAILDROP 1\nU2:33\nS013:a@example.com\nR13:b@example.net\nM1:x\n",
        "SENDONLY-MAILDROP 1\nU2:33\nS-1:a@example.com\nR13:b@example.net\nM1:x\n",
        "SENDONLY-MAILDROP 1\nU2:33\nS99999999999:a@example.com\nR13:b@example.net\nM1:x\n",
        "SENDONLY-MAILDROP 1\nU2:-3\nS13:a@example.com\nR13:b@example.net\nM1:x\n",
        "SENDONLY-MAILDROP 1\nS13:a@example.com\nR13:b@example.net\nM1:x\n",
        "SENDONLY-MAILDROP 1\nU2:33\nU2:34\nS13:a@example.com\nR13:b@example.net\nM1:x\n",
        "SENDONLY-MAILDROP 1\nU2:33\nS13:a@example.com\nX1:y\nR13:b@example.net\nM1:x\n",
        ""})
    void malformedFilesShouldBeRefused(String file) {
        assertThatThrownBy(() -> MaildropRecord.parse(file.getBytes(StandardCharsets.US_ASCII))).isInstanceOf(MaildropRecord.Malformed.class);
    }

    private static void assertMalformed(String file, String reason) {
        assertThatThrownBy(() -> MaildropRecord.parse(file.getBytes(StandardCharsets.US_ASCII)))
            .isInstanceOf(MaildropRecord.Malformed.class)
            .hasMessageContaining(reason);
    }
}
