package io.sendonly.sendmail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptionsTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-ti", "-it", "-t -i", "-t -oi", "-to i", "-tio -oi"})
    void bundledFlagsShouldAllCount(String line) throws Exception {
        Options options = Options.parse(line.split(" "));

        assertThat(options.extractRecipients()).isTrue();
        assertThat(options.ignoreDots()).isTrue();
        assertThat(options.recipients()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-fuser@example.com", "-f user@example.com", "-ruser@example.com", "-r user@example.com",
        "-tif user@example.com", "-tifuser@example.com", "-f <user@example.com>"})
    void senderShouldBeTakenWithOrWithoutASpace(String line) throws Exception {
        assertThat(Options.parse(line.split(" ")).sender()).contains("user@example.com");
    }

    @Test
    void senderValueMayBeginWithADash() throws Exception {
        Options options = Options.parse(new String[] {"-f", "-oi", "user@example.net"});

        assertThat(options.sender()).contains("-oi");
        assertThat(options.ignoreDots()).isFalse();
        assertThat(options.recipients()).containsExactly("user@example.net");
    }

    @Test
    void nullSenderShouldBeEmpty() throws Exception {
        assertThat(Options.parse(new String[] {"-f", "<>", "a@example.net"}).sender()).contains("");
    }

    @Test
    void fullNameShouldBeTakenWithOrWithoutASpace() throws Exception {
        assertThat(Options.parse(new String[] {"-FAlice Smith", "a@example.net"}).fullName()).contains("Alice Smith");
        assertThat(Options.parse(new String[] {"-F", "Alice Smith", "a@example.net"}).fullName()).contains("Alice Smith");
    }

    @Test
    void doubleDashShouldEndOptions() throws Exception {
        Options options = Options.parse(new String[] {"-i", "--", "-t", "a@example.net"});

        assertThat(options.extractRecipients()).isFalse();
        assertThat(options.recipients()).containsExactly("-t", "a@example.net");
    }

    @Test
    void firstRecipientShouldEndOptions() throws Exception {
        Options options = Options.parse(new String[] {"a@example.net", "-f", "evil@example.net"});

        assertThat(options.sender()).isEqualTo(Optional.empty());
        assertThat(options.recipients()).containsExactly("a@example.net", "-f", "evil@example.net");
    }

    @Test
    void ignoredOptionsShouldConsumeTheirValues() throws Exception {
        Options options = Options.parse(new String[] {"-N", "never", "-B8BITMIME", "-odb", "-v", "-V", "envid", "a@example.net"});

        assertThat(options.verbose()).isTrue();
        assertThat(options.ignoreDots()).isFalse();
        assertThat(options.recipients()).containsExactly("a@example.net");
    }

    @Test
    void modesShouldBeRecognised() throws Exception {
        assertThat(Options.parse(new String[] {"-bs"}).mode()).isEqualTo(Options.Mode.SMTP_SESSION);
        assertThat(Options.parse(new String[] {"-b", "p"}).mode()).isEqualTo(Options.Mode.LIST_QUEUE);
        assertThat(Options.parse(new String[] {"-q"}).mode()).isEqualTo(Options.Mode.FLUSH_QUEUE);
        assertThat(Options.parse(new String[] {"-bm", "a@example.net"}).mode()).isEqualTo(Options.Mode.DELIVER);
        assertThat(Options.parse(new String[] {"a@example.net"}).mode()).isEqualTo(Options.Mode.DELIVER);
    }

    @Test
    void recipientsShouldKeepTheirOrder() throws Exception {
        assertThat(Options.parse(new String[] {"-t", "b@example.net", "a@example.net"}).recipients())
            .isEqualTo(List.of("b@example.net", "a@example.net"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-Q", "-tQ", "-bd", "-f", "-q1h", "-bp a@example.net", "-ti -F"})
    void badCommandLinesShouldBeUsageErrors(String line) {
        assertUsageError(line.split(" "));
    }

    @ParameterizedTest(name = "{index}")
    @ValueSource(strings = {"a@example.net\r\nRCPT TO:<b@example.net>", "a@example.net\n", "a@example.net\0", "a\r@example.net", "\u007f"})
    void controlCharactersShouldBeRefusedInAnyArgument(String value) {
        assertUsageError("-f", value, "c@example.net");
        assertUsageError("c@example.net", value);
        assertUsageError("-N" + value, "c@example.net");
    }

    @Test
    void badFullNameShouldBeAUsageError() {
        assertUsageError("-F", "Alice\u2028Reply-To: attacker@example.net", "a@example.net");
    }

    private static void assertUsageError(String... args) {
        assertThatThrownBy(() -> Options.parse(args))
            .isInstanceOf(SendmailException.class)
            .extracting(e -> ((SendmailException) e).exitCode()).isEqualTo(SendmailException.EX_USAGE);
    }

}
