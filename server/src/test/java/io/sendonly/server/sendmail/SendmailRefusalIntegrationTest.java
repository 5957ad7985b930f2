package io.sendonly.server.sendmail;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.SendmailCommand;
import io.sendonly.server.testing.SmtpSink;

/**
 * A server that refuses at some step, scripted on loopback: a 5xx is final, exits with its sysexits code and
 * spools nothing; a 4xx spools to the maildrop.
 */
class SendmailRefusalIntegrationTest {
    @RegisterExtension
    final Closer closer = new Closer();

    @TempDir
    Path home;

    @Test
    void refusingGreetingShouldBeUnavailableAndSpoolNothing() throws Exception {
        SmtpSink refusing = closer.register(SmtpSink.start());
        refusing.greetWith("554 5.3.2 not accepting mail");

        SendmailCommand.Result run = send(refusing);

        assertThat(run.exitCode()).isEqualTo(69);
        assertThat(run.err()).startsWith("sendmail: greeting refused: 554 5.3.2");
        assertThat(spooled()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "EHLO| 550 5.7.1 go away| 77",
        "EHLO| 502 5.5.1 not implemented| 76",
        "EHLO| 554 no|69",
        "MAIL| 553 5.1.8 sender domain unknown| 67",
        "MAIL| 550 5.7.1 sender refused by policy| 77",
        "RCPT| 550 5.1.1 no such user| 67",
        "RCPT| 550 5.1.2 no such domain| 68",
        "RCPT| 554 5.7.1 relay access denied| 77",
        "DATA| 554 5.6.0 content refused| 65",
        "DATA| 554 transaction failed| 69",
    })
    void refusalAtAStepShouldExitWithItsCodeAndSpoolNothing(String verb, String reply, int exitCode) throws Exception {
        SmtpSink refusing = closer.register(SmtpSink.start());
        refusing.answer(verb, reply);

        SendmailCommand.Result run = send(refusing);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(exitCode);
        assertThat(run.err()).contains(reply);
        assertThat(spooled()).isEmpty();
        assertThat(refusing.received()).isEmpty();
    }

    @Test
    void temporaryRefusalShouldSpoolAndExitZero() throws Exception {
        SmtpSink busy = closer.register(SmtpSink.start());
        busy.answer("MAIL", "451 4.3.0 try again later");

        SendmailCommand.Result run = send(busy);

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(spooled()).hasSize(1);
    }

    private SendmailCommand.Result send(SmtpSink server) throws Exception {
        Files.createDirectories(home.resolve("var/maildrop"));
        return SendmailCommand.at(home, server.port()).run("Subject: x\n\nbody\n", "user@example.net");
    }

    private List<Path> spooled() throws Exception {
        try (Stream<Path> files = Files.list(home.resolve("var/maildrop"))) {
            return files.toList();
        }
    }
}
