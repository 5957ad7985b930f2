package io.sendonly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PostfixCommandsTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mailq|''|queue list",
        "postqueue|-p|queue list",
        "postqueue|-f|queue flush",
        "postcat|-q Mail1-a|queue show Mail1-a",
        "postsuper|-d Mail1-a|queue delete Mail1-a",
        "postsuper|-d Mail1-a -d Mail2-b|queue delete Mail1-a Mail2-b",
        "sendonly|keys list --dns|keys list --dns",
    })
    void translateShouldGiveTheSendonlyCommandOfAPostfixOne(String program, String args, String expected) throws CliException {
        assertThat(PostfixCommands.translate(program, words(args))).isEqualTo(words(expected));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "mailq|-v",
        "postqueue|''",
        "postqueue|-i Mail1-a",
        "postcat|Mail1-a",
        "postsuper|''",
        "postsuper|-d",
        "postsuper|-h Mail1-a",
    })
    void translateShouldRefuseWhatItDoesNotDo(String program, String args) {
        assertThatThrownBy(() -> PostfixCommands.translate(program, words(args)))
            .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.EX_USAGE))
            .hasMessageStartingWith("usage: " + program);
    }

    private static List<String> words(String line) {
        return line.isEmpty() ? List.of() : List.of(line.split(" "));
    }
}
