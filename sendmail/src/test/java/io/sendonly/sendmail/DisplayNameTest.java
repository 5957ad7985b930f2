package io.sendonly.sendmail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DisplayNameTest {
    @Test
    void asciiNameShouldBeAQuotedString() {
        assertThat(DisplayName.encode("Alice \"Al\" Smith\\")).isEqualTo("\"Alice \\\"Al\\\" Smith\\\\\"");
    }

    @Test
    void nameWithSpecialsShouldStayInsideTheQuotes() {
        assertThat(DisplayName.encode("Bob <bob@evil.example>, Eve")).isEqualTo("\"Bob <bob@evil.example>, Eve\"");
    }

    @Test
    void nonAsciiNameShouldBeAnEncodedWord() {
        assertThat(DisplayName.encode("Zoë")).isEqualTo("=?UTF-8?B?Wm/Dqw==?=");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Ünïcödé ✉ " + "ü", "日本語の名前がとても長い場合にはいくつかのエンコード語に分けられます", "Σ\"<>,;:\\ ü"})
    void encodedWordsShouldBeShortFoldedAndDecodeToTheName(String name) {
        String encoded = DisplayName.encode(name);
        String[] words = encoded.split("\r\n ");

        assertThat(words).allSatisfy(word -> {
            assertThat(word).hasSizeLessThanOrEqualTo(75).startsWith("=?UTF-8?B?").endsWith("?=");
            assertThat(word.substring(10, word.length() - 2)).matches("[A-Za-z0-9+/=]+");
        });
        String decoded = Arrays.stream(words)
            .map(word -> new String(Base64.getDecoder().decode(word.substring(10, word.length() - 2)), StandardCharsets.UTF_8))
            .collect(Collectors.joining());
        assertThat(decoded).isEqualTo(name);
    }

    @ParameterizedTest(name = "{index}")
    @ValueSource(strings = {"Alice\r\nReply-To: attacker@example.net", "Alice\nBcc: x@example.net", "Alice\0", "Alice\u0085Bcc: x@example.net",
        "Alice\u2028Reply-To: x@example.net", "Alice\u2029", "Alice\u001b[31m", "\ud800Alice"})
    void controlsAndLineBreaksShouldBeRefused(String name) {
        assertThat(DisplayName.problem(name)).isPresent();
    }

    @Test
    void overlongNameShouldBeRefused() {
        assertThat(DisplayName.problem("a".repeat(DisplayName.MAX_LENGTH))).isEmpty();
        assertThat(DisplayName.problem("a".repeat(DisplayName.MAX_LENGTH + 1))).isPresent();
    }
}
