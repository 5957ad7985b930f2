package io.sendonly.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MessageBytesTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "CRLF kept                 | a\\r\\nb\\r\\n     | a\\r\\nb\\r\\n",
        "bare LF                   | a\\nb\\n           | a\\r\\nb\\r\\n",
        "bare CR                   | a\\rb\\r           | a\\r\\nb\\r\\n",
        "LF first                  | \\na               | \\r\\na",
        "mixed                     | a\\r\\nb\\nc\\rd   | a\\r\\nb\\r\\nc\\r\\nd",
        "LF CR is two line ends    | a\\n\\rb           | a\\r\\n\\r\\nb",
        "no line end               | abc               | abc"})
    void crlfShouldMakeEveryLineEndCrlf(String name, String input, String expected) {
        assertThat(new String(MessageBytes.crlf(bytes(input)), StandardCharsets.ISO_8859_1)).isEqualTo(unescape(expected));
    }

    @ParameterizedTest(name = "[{index}]")
    @CsvSource(delimiter = '|', value = {"a\\r\\nb\\r\\n", "abc", "''"})
    void crlfShouldGiveTheSameArrayWhenNothingChanges(String input) {
        byte[] bytes = bytes(input);

        assertThat(MessageBytes.crlf(bytes)).isSameAs(bytes);
    }

    @ParameterizedTest
    @CsvSource({"plain ascii, false", "caf\u00e9, true"})
    void eightBitShouldTellWhetherAnyOctetHasItsHighBit(String text, boolean expected) {
        assertThat(MessageBytes.eightBit(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
    }

    private static byte[] bytes(String escaped) {
        return unescape(escaped).getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String unescape(String escaped) {
        return escaped.replace("\\r", "\r").replace("\\n", "\n");
    }
}
