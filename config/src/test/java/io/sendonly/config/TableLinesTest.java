package io.sendonly.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TableLinesTest {
    @ParameterizedTest(name = "[{0}]")
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {
        "a b|a b",
        "  a b # c|a b",
        "a#b|a",
        "\ta\tb\t|a\tb",
        "# a|''",
        "   |''",
    })
    void contentShouldDropTheCommentAndSurroundingWhitespace(String line, String content) {
        assertThat(TableLines.content(line)).isEqualTo(content);
    }

    @Test
    void ofShouldSkipCommentAndBlankLinesAndKeepTheNumbersOfTheOthers() {
        List<TableLines.Line> lines = TableLines.of(List.of("# header", "a 1", "", "   # indented", "b 2 # why"), "T");

        assertThat(lines).containsExactly(new TableLines.Line("T", 2, "a 1"), new TableLines.Line("T", 5, "b 2"));
        assertThat(lines.get(1).location()).isEqualTo("T:5");
    }

    @Test
    void columnsShouldSplitOnAnyWhitespaceAndKeepTheRestInTheLastWithALimit() {
        TableLines.Line line = new TableLines.Line("T", 1, "a \t b  c d");

        assertThat(line.columns(0)).containsExactly("a", "b", "c", "d");
        assertThat(line.columns(2)).containsExactly("a", "b  c d");
    }

    @Test
    void errorShouldNameSourceAndLine() {
        assertThat(new TableLines.Line("conf/routes", 7, "x").error("bad"))
            .isInstanceOf(IllegalArgumentException.class).hasMessage("conf/routes:7: bad");
    }

    @Test
    void parseShouldPutTheLocationBeforeTheParsersMessage() {
        TableLines.Line line = new TableLines.Line("TrustedHosts", 3, "x");

        assertThat(line.parse(TableLines.Line::content)).isEqualTo("x");
        assertThatThrownBy(() -> line.parse(parsed -> {
            throw new IllegalArgumentException("'x' is not an IP address");
        })).isInstanceOf(IllegalArgumentException.class).hasMessage("TrustedHosts:3: 'x' is not an IP address");
    }
}
