package io.sendonly.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class FieldsTest {
    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "a\tb", "a\0b", "a\u007fb", "a\u0085b", "a\u2028b", "a\u200bb", "a#b", "", " a", "a ", "a  b"})
    void textShouldRefuseWhatWouldNotReadBackNamingTheField(String value) {
        assertThatThrownBy(() -> Fields.text("hop", value)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("hop: ");
    }

    @Test
    void textShouldRefuseNullAndOverlongValues() {
        assertThatThrownBy(() -> Fields.text("hop", null)).hasMessage("hop: missing");
        assertThatThrownBy(() -> Fields.text("hop", "a".repeat(Fields.MAX_LENGTH + 1))).hasMessageStartingWith("hop: 1001 characters");
    }

    @Test
    void textShouldKeepSingleSpacesAndUnicode() {
        assertThat(Fields.text("hop", "smtp.example.org smtp --user=üser")).isEqualTo("smtp.example.org smtp --user=üser");
        assertThat(Fields.text("hop", "a".repeat(Fields.MAX_LENGTH))).hasSize(Fields.MAX_LENGTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a\u3000b", "a\tb"})
    void wordShouldRefuseWhitespace(String value) {
        assertThatThrownBy(() -> Fields.word("pattern", value)).hasMessageStartingWith("pattern: ");
    }

    @Test
    void wordShouldAcceptOneWord() {
        assertThat(Fields.word("pattern", "*@exämple.com")).isEqualTo("*@exämple.com");
    }
}
