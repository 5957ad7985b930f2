package io.sendonly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class CommandTest {
    @Test
    void parseShouldSeparateWordsFromOptionsWhereverTheyStand() throws CliException {
        Command command = Command.parse(List.of("keys", "--bits=1024", "new", "example.com", "s2026", "--algorithm=rsa"));

        assertThat(command.words()).containsExactly("keys", "new", "example.com", "s2026");
        assertThat(command.option("bits")).contains("1024");
        assertThat(command.option("algorithm")).contains("rsa");
        assertThat(command.verb()).isEqualTo("new");
    }

    @Test
    void parseShouldTakeEverythingAfterTheDoubleDashAsWords() throws CliException {
        Command command = Command.parse(List.of("signing", "remove", "--", "--odd"));

        assertThat(command.words()).containsExactly("signing", "remove", "--odd");
        assertThat(command.options()).isEmpty();
    }

    @Test
    void parseShouldRefuseAnOptionGivenTwice() {
        assertThatThrownBy(() -> Command.parse(List.of("keys", "list", "--dns", "--dns")))
            .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.EX_USAGE));
    }

    @Test
    void operandsShouldNameTheMissingOne() throws CliException {
        Command command = Command.parse(List.of("keys", "new", "example.com"));

        assertThatThrownBy(() -> command.operands("DOMAIN", "SELECTOR"))
            .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.EX_USAGE))
            .hasMessage("keys new example.com: missing SELECTOR");
    }

    @Test
    void operandsShouldRefuseAnExtraOne() throws CliException {
        Command command = Command.parse(List.of("networks", "add", "10.0.0.0/8", "10.1.0.0/16"));

        assertThatThrownBy(() -> command.operands("NETWORK")).hasMessage("networks add 10.0.0.0/8 10.1.0.0/16: unexpected '10.1.0.0/16'");
    }

    @Test
    void operandsShouldAcceptAMissingOptionalOne() throws CliException {
        assertThat(Command.parse(List.of("signing", "remove", "*@example.com")).operands(1, "PATTERN", "KEY"))
            .containsExactly("*@example.com");
    }

    @Test
    void allowingShouldRefuseAnUnknownOption() throws CliException {
        Command command = Command.parse(List.of("keys", "list", "--dsn"));

        assertThatThrownBy(() -> command.allowing("dns")).hasMessage("keys list: unknown option --dsn");
    }

    @Test
    void rawFromShouldKeepTheOptionsOfAHop() throws CliException {
        Command command = Command.parse(List.of("routes", "add", "default", "smtp.example.org", "smtp", "--port=587", "--starttls"));

        assertThat(command.rawFrom(3)).containsExactly("smtp.example.org", "smtp", "--port=587", "--starttls");
    }
}
