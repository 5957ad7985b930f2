package io.sendonly.server.sendmail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.sendonly.server.testing.Distribution;
import io.sendonly.server.testing.SendmailCommand;
import io.sendonly.server.testing.SmtpSink;

/**
 * Hostile sender, full name and recipient values, as PHP's mail() fifth parameter and applications pass user input
 * to sendmail: each is refused with its exit code before sendmail connects, so the SMTP peer sees no connection at
 * all, and with the server down nothing is spooled.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SendmailInjectionIntegrationTest {
    private static final String MESSAGE = "Subject: hello\n\nbody\n";
    private static final String RECIPIENT = "user@example.net";
    private static final int USAGE = 64;
    private static final int DATA_ERROR = 65;

    private record Case(String name, int exitCode, String input, List<String> args) {
        @Override
        public String toString() {
            return name;
        }
    }

    private SmtpSink sink;

    @TempDir
    Path home;

    @BeforeAll
    void startSink() throws IOException {
        sink = SmtpSink.start();
    }

    @AfterAll
    void stopSink() throws Exception {
        sink.close();
    }

    static Stream<Case> corpus() {
        return Stream.of(
            sender("CRLF and an SMTP command", "legit@example.com>\r\nRCPT TO:<injected@example.net"),
            sender("LF and a maildrop line", "legit@example.com\nRecipient: <injected@example.net>"),
            sender("CR alone", "legit@example.com\rRCPT TO:<injected@example.net>"),
            sender("trailing CRLF", "legit@example.com\r\n"),
            sender("NUL", "legit@example.com\0injected@example.net"),
            sender("closing bracket", "legit@example.com>"),
            sender("bracket and ESMTP parameter", "<legit@example.com> SIZE=1"),
            sender("space and ESMTP parameter", "legit@example.com NOTIFY=SUCCESS"),
            sender("leading dash", "-oQ/tmp/x"),
            sender("overlong local part", "a".repeat(65) + "@example.com"),
            sender("overlong address", "a@" + String.join(".", Collections.nCopies(5, "b".repeat(60))) + ".com"),
            sender("non-ASCII local part", "légit@example.com"),
            sender("fullwidth at sign", "legit＠example.com"),
            sender("unicode line separator", "legit@example.com\u2028RCPT TO:<injected@example.net>"),
            sender("NEL", "legit@example.com\u0085RCPT TO:<injected@example.net>"),
            sender("CRLF in a quoted local part", "\"legit\r\nRCPT TO:<injected@example.net>\"@example.com"),
            sender("CRLF and DATA after an address literal", "legit@[127.0.0.1]>\r\nDATA"),
            fullName("CRLF and Reply-To", "Alice\r\nReply-To: attacker@example.net"),
            fullName("LF and Bcc", "Alice\nBcc: injected@example.net"),
            fullName("CR and Bcc", "Alice\rBcc: injected@example.net"),
            fullName("NUL", "Alice\0"),
            fullName("unicode line separator", "Alice\u2028Reply-To: attacker@example.net"),
            fullName("NEL", "Alice\u0085Bcc: injected@example.net"),
            fullName("terminal escape", "Alice\u001b]0;owned\u0007"),
            fullName("overlong", "A".repeat(300)),
            recipient("CRLF and an SMTP command", "user@example.net\r\nRCPT TO:<injected@example.net>"),
            recipient("bracket, CRLF and MAIL", "user@example.net>\r\nMAIL FROM:<x@example.net"),
            recipient("NUL", "user@example.net\0"),
            recipient("LF inside the domain", "user@exa\nmple.net"),
            recipient("leading dash after --", "-oQ/tmp/@example.net"),
            recipient("two addresses without a comma", "user@example.net injected@example.net"),
            recipient("right-to-left override", "\u202euser@example.net"),
            recipient("overlong", "a".repeat(300) + "@example.net"),
            recipient("comment with CRLF and Bcc", "user@example.net (x)\r\nBcc: injected@example.net"),
            header("space in a To address", "To: bad address@example.net\n\nbody\n"),
            header("leading dash in a Cc address", "To: user@example.net\nCc: -oQ@example.net\n\nbody\n"),
            header("non-ASCII domain in Bcc", "To: user@example.net\nBcc: user@exämple.net\n\nbody\n"),
            header("stray bracket", "To: user@example.net>\n\nbody\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileValueShouldBeRefusedBeforeConnecting(Case hostile) throws Exception {
        int connections = sink.connections();

        SendmailCommand.Result run = SendmailCommand.at(home, sink.port()).run(hostile.input(), hostile.args().toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(hostile.exitCode());
        assertThat(run.err()).startsWith("sendmail: ").doesNotContain("\r", "\n" + "RCPT", "\0");
        assertThat(sink.connections()).isEqualTo(connections);
        assertThat(sink.received()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void hostileValueShouldBeRefusedWithTheServerDownAndNothingSpooled(Case hostile) throws Exception {
        Path maildrop = Files.createDirectories(home.resolve("var/maildrop"));

        SendmailCommand.Result run = SendmailCommand.at(home, Distribution.freePort()).run(hostile.input(), hostile.args().toArray(String[]::new));

        assertThat(run.exitCode()).as(run.err()).isEqualTo(hostile.exitCode());
        try (Stream<Path> spooled = Files.list(maildrop)) {
            assertThat(spooled).isEmpty();
        }
    }

    private static Case sender(String name, String value) {
        return new Case("-f: " + name, USAGE, MESSAGE, List.of("-f", value, RECIPIENT));
    }

    private static Case fullName(String name, String value) {
        return new Case("-F: " + name, USAGE, MESSAGE, List.of("-F", value, "-f", "legit@example.com", RECIPIENT));
    }

    private static Case recipient(String name, String value) {
        return new Case("recipient: " + name, USAGE, MESSAGE, List.of("--", value));
    }

    private static Case header(String name, String message) {
        return new Case("-t: " + name, DATA_ERROR, message, List.of("-t", "-i"));
    }
}
