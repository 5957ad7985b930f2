package io.sendonly.server.sendmail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.sendmail.MaildropRecord;
import io.sendonly.server.testing.Distribution;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SendmailCommand;
import io.sendonly.server.testing.SmtpSink;

/** The sendmail command against the real server, as PHP's mail() runs it: sendmail -t -i [-f sender]. */
class SendmailIntegrationTest {
    @RegisterExtension
    final RelayedServer relayed = new RelayedServer();

    @TempDir
    Path home;

    @Test
    void dashTShouldSendToToCcAndBccAndRemoveBcc() {
        SendmailCommand.Result run = sendmail(relayed.server().smtpPort(), "From: App <app@example.com>\nTo: Ann <ann@example.net>\n"
            + "Cc: team: bob@example.net, (the boss) carol@example.net;\nBcc: dave@example.net\nSubject: Welcome\n\n.lone dot line\n.\nafter\n",
            "-t", "-i", "-f", "www-data");

        assertThat(run.exitCode()).as(run.err()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().size() == 1);
        SmtpSink.Received received = relayed.sink().received().get(0);
        assertThat(received.mailFrom()).isEqualTo("www-data@example.com");
        assertThat(received.rcptTo()).containsExactlyInAnyOrder("ann@example.net", "bob@example.net", "carol@example.net", "dave@example.net");
        assertThat(received.header("Bcc")).isNull();
        assertThat(received.header("Date")).isNotNull();
        assertThat(received.header("Message-ID")).endsWith("@example.com>");
        assertThat(received.body()).isEqualTo(".lone dot line\r\n.\r\nafter\r\n");
    }

    @Test
    void withoutDashIALoneDotShouldEndTheMessage() {
        SendmailCommand.Result run = sendmail(relayed.server().smtpPort(), "Subject: dot\n\nkept\n.\ndropped\n", "user@example.net");

        assertThat(run.exitCode()).as(run.err()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().size() == 1);
        assertThat(relayed.sink().received().get(0).body()).isEqualTo("kept\r\n");
        assertThat(relayed.sink().received().get(0).header("From")).isEqualTo("tester@example.com");
    }

    @Test
    void senderWithAnInjectedRecipientShouldBeRefusedAndNothingSent() {
        SendmailCommand.Result run = sendmail(relayed.server().smtpPort(), "Subject: x\n\nbody\n",
            "-f", "legit@example.com>\r\nRCPT TO:<injected@example.net", "user@example.net");

        assertThat(run.exitCode()).isEqualTo(64);
        assertThat(sendmail(relayed.server().smtpPort(), "Subject: barrier\n\nbody\n", "barrier@example.net").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> !relayed.sink().received().isEmpty());
        assertThat(relayed.sink().received()).singleElement().satisfies(mail -> assertThat(mail.rcptTo()).containsExactly("barrier@example.net"));
    }

    @Test
    void fullNameShouldBeEncodedIntoTheAddedFrom() {
        SendmailCommand.Result run = sendmail(relayed.server().smtpPort(), "Subject: x\n\nbody\n", "-F", "Zoë \"Z\" <z@evil.example>", "-f", "app",
            "user@example.net");

        assertThat(run.exitCode()).as(run.err()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().size() == 1);
        assertThat(relayed.sink().received().get(0).header("From")).isEqualTo("=?UTF-8?B?Wm/DqyAiWiIgPHpAZXZpbC5leGFtcGxlPg==?= <app@example.com>");
        assertThat(relayed.sink().received().get(0).header("Reply-To")).isNull();
    }

    @Test
    void firstLineThatIsNoHeaderShouldStartTheBody() {
        SendmailCommand.Result run = sendmail(relayed.server().smtpPort(), "Hello Ann,\nTo: injected@example.net\n", "-t", "ann@example.net");

        assertThat(run.exitCode()).as(run.err()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().size() == 1);
        assertThat(relayed.sink().received().get(0).rcptTo()).containsExactly("ann@example.net");
        assertThat(relayed.sink().received().get(0).body()).isEqualTo("Hello Ann,\r\nTo: injected@example.net\r\n");
    }

    @Test
    void serverDownShouldSpoolToTheMaildropAndExitZero() throws Exception {
        Files.createDirectories(home.resolve("var/maildrop"));

        SendmailCommand.Result run = sendmail(Distribution.freePort(), "Subject: later\n\nbody\n", "user@example.net");

        assertThat(run.exitCode()).as(run.err()).isZero();
        List<Path> spooled;
        try (Stream<Path> files = Files.list(home.resolve("var/maildrop"))) {
            spooled = files.toList();
        }
        assertThat(spooled).singleElement().satisfies(file -> {
            assertThat(file.getFileName().toString()).endsWith(".mail");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("r--r--r--");
            MaildropRecord record = MaildropRecord.parse(Files.readAllBytes(file));
            assertThat(record.uid()).isEqualTo(Files.getAttribute(file, "unix:uid"));
            assertThat(record.sender()).isEqualTo("tester@example.com");
            assertThat(record.recipients()).containsExactly("user@example.net");
            assertThat(new String(record.message(), StandardCharsets.UTF_8)).contains("Subject: later\r\n").endsWith("\r\n\r\nbody\r\n");
        });
    }

    @Test
    void spooledMessageShouldBeDeliveredWhenTheServerStartsAndLeaveTheMaildropEmpty() throws Exception {
        Path serverHome = relayed.server().workingDirectory();
        int port = relayed.server().smtpPort();
        relayed.server().stop();

        SendmailCommand.Result run = SendmailCommand.at(serverHome, port).run("Subject: while down\n\nbody\n", "user@example.net");
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(maildropFiles(serverHome)).hasSize(1);

        relayed.server().start();

        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().size() == 1);
        assertThat(relayed.sink().received().get(0).header("Subject")).isEqualTo("while down");
        await().atMost(Duration.ofSeconds(30)).until(() -> maildropFiles(serverHome).isEmpty());
        assertThat(relayed.sink().received().get(0).header("Received"))
            .startsWith("by localhost (james-sendonly, from userid " + Files.getAttribute(Path.of("/proc/self"), "unix:uid") + ")");
    }

    @Test
    void corruptMaildropFileShouldBeMovedAside() throws Exception {
        Path maildrop = Files.createDirectories(relayed.server().workingDirectory().resolve("var/maildrop"));
        Files.writeString(maildrop.resolve("garbage.mail"), "this is no envelope");

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(maildrop.resolve("corrupt/garbage.mail")));
        assertThat(maildrop.resolve("garbage.mail")).doesNotExist();
    }

    @Test
    void serverDownAndNoWritableMaildropShouldBeUnavailable() throws Exception {
        Files.writeString(home.resolve("var"), "a file where the maildrop folder should be");

        SendmailCommand.Result run = sendmail(Distribution.freePort(), "Subject: lost?\n\nbody\n", "user@example.net");

        assertThat(run.exitCode()).isEqualTo(69);
        assertThat(run.err()).startsWith("sendmail: cannot reach");
    }

    @Test
    void refusedRecipientShouldExitWithNoUser() throws Exception {
        try (SmtpSink strict = SmtpSink.start()) {
            strict.rejectRecipient("nobody@example.net", "550 5.1.1 No such user");

            SendmailCommand.Result run = sendmail(strict.port(), "Subject: x\n\nbody\n", "nobody@example.net");

            assertThat(run.exitCode()).isEqualTo(67);
            assertThat(run.err()).startsWith("sendmail: recipient refused: <nobody@example.net>: 550 5.1.1");
        }
    }

    @Test
    void refusedRecipientDomainShouldExitWithNoHost() throws Exception {
        try (SmtpSink strict = SmtpSink.start()) {
            strict.rejectRecipient("user@nowhere.invalid", "550 5.1.2 Bad destination system address");

            assertThat(sendmail(strict.port(), "Subject: x\n\nbody\n", "user@nowhere.invalid").exitCode()).isEqualTo(68);
        }
    }

    @Test
    void temporaryRefusalWithoutWritableMaildropShouldBeTempfail() throws Exception {
        Files.writeString(home.resolve("var"), "a file where the maildrop folder should be");
        try (SmtpSink busy = SmtpSink.start()) {
            busy.rejectRecipient("user@example.net", "451 4.3.0 Try again later");

            SendmailCommand.Result run = sendmail(busy.port(), "Subject: x\n\nbody\n", "user@example.net");

            assertThat(run.exitCode()).isEqualTo(75);
            assertThat(run.err()).contains("451 4.3.0").contains("not writable");
        }
    }

    @Test
    void usageErrorsShouldHaveTheirExitCodes() {
        int port = relayed.server().smtpPort();
        assertThat(sendmail(port, "Subject: x\n\nbody\n").exitCode()).isEqualTo(64);
        assertThat(sendmail(port, "Subject: x\n\nbody\n", "-t").exitCode()).isEqualTo(65);
        SendmailCommand.Result unknown = sendmail(port, "", "-Q", "user@example.net");
        assertThat(unknown.exitCode()).isEqualTo(64);
        assertThat(unknown.err()).startsWith("sendmail: unknown option '-Q'\nusage: sendmail [options]").contains("-bs").contains("-oi");
    }

    @Test
    void unreadableSettingsShouldBeAnInternalError() throws Exception {
        Files.createDirectories(home.resolve("conf/sendmail.properties"));

        SendmailCommand.Result run = sendmail(relayed.server().smtpPort(), "Subject: x\n\nbody\n", "user@example.net");

        assertThat(run.exitCode()).isEqualTo(70);
        assertThat(run.err()).startsWith("sendmail: ").contains("sendmail.properties");
    }

    @Test
    void ignoredOptionsShouldBeAccepted() {
        SendmailCommand.Result run = sendmail(relayed.server().smtpPort(), "Subject: x\n\nbody\n", "-oi", "-odb", "-N", "never", "-B", "8BITMIME", "-v",
            "--", "user@example.net");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).contains("sent to user@example.net");
    }

    @Test
    void dashBsShouldRelayAnSmtpSession() {
        String session = "EHLO app\r\nFOO\r\nMAIL FROM:<app@example.com>\r\nRCPT TO:<user@example.net>\r\nDATA\r\n"
            + "Subject: bs\r\n\r\nbody\r\n.\r\nQUIT\r\n";

        SendmailCommand.Result run = sendmail(relayed.server().smtpPort(), session, "-bs");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("220 ").contains("\r\n500 ").contains("\r\n354 ").contains("\r\n221 ");
        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().size() == 1);
    }

    private SendmailCommand.Result sendmail(int port, String input, String... args) {
        return SendmailCommand.at(home, port).run(input, args);
    }

    /** Dropped files, waiting or being picked up. */
    private static List<Path> maildropFiles(Path serverHome) throws IOException {
        try (Stream<Path> waiting = Files.list(serverHome.resolve("var/maildrop")); Stream<Path> claimed = Files.list(serverHome.resolve("var/maildrop/incoming"))) {
            return Stream.concat(waiting.filter(file -> file.getFileName().toString().endsWith(".mail")), claimed).toList();
        }
    }
}
