package io.sendonly.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmtpSessionTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "leading dots doubled          | .a\\r\\nb.\\r\\n..c\\r\\n | ..a\\r\\nb.\\r\\n...c\\r\\n.\\r\\n",
        "a lone dot line stuffed       | a\\r\\n.\\r\\nb\\r\\n      | a\\r\\n..\\r\\nb\\r\\n.\\r\\n",
        "missing line end added        | a\\r\\n.b               | a\\r\\n..b\\r\\n.\\r\\n",
        "empty message, final dot only |                         | .\\r\\n"})
    void writeDataShouldDotStuffAndEndWithTheFinalDot(String name, String message, String expected) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SmtpSession.writeData(out, crlf(message).getBytes(StandardCharsets.US_ASCII));
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(crlf(expected));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "550 5.1.1 no such user, 5.1.1",
        "451 4.3.0 later, 4.3.0",
        "550 no enhanced code, 5.0.0",
        "421 x.y.z, 4.0.0"})
    void statusShouldBeTheEnhancedCodeOrTheClassDefault(String text, String status) {
        Reply reply = new Reply(Integer.parseInt(text.substring(0, 3)), List.of(text.substring(4)));
        assertThat(reply.status()).isEqualTo(status);
    }

    private static String crlf(String escaped) {
        return escaped == null ? "" : escaped.replace("\\r", "\r").replace("\\n", "\n");
    }
}
