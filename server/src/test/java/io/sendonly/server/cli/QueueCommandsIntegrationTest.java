package io.sendonly.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.Distribution;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.OperatorCommands;
import io.sendonly.server.testing.OperatorCommands.Result;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;
import io.sendonly.server.testing.TestServer;

/**
 * The queue as an operator handles it in the Postfix habit, with the next hop down so that mail is deferred:
 * mailq, postcat -q, postsuper -d, postqueue -f, through the real server's webadmin.
 */
class QueueCommandsIntegrationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** A mailq line: id, size, arrival (ctime without the year), sender. */
    private static final Pattern MAIL_LINE = Pattern.compile("(?m)^(Mail\\S+)\\s+(\\d+) \\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d  (\\S+)$");

    @TempDir
    Path workingDirectory;

    @RegisterExtension
    final Closer closer = new Closer();

    private int nextHop;
    private TestServer server;
    private OperatorCommands commands;

    @BeforeEach
    void deferTwoMails() throws Exception {
        nextHop = Distribution.freePort();
        server = closer.register(TestServer.prepare(workingDirectory)
            .routes("default [127.0.0.1]:" + nextHop + "\n")
            .delivery("retrySchedule", "1h")
            .start());
        commands = OperatorCommands.of(server);
        try (SmtpClient client = SmtpClient.connect(server.smtpPort())) {
            client.send("app@example.com", List.of("first@example.net", "second@example.net"),
                Messages.simple(Messages.newMessageId(), "app@example.com", "first@example.net", "First", "body one\r\n"));
            client.send("billing@example.com", "third@example.org",
                Messages.simple(Messages.newMessageId(), "billing@example.com", "third@example.org", "Second", "body two\r\n"));
        }
        await().atMost(TIMEOUT).until(() -> commands.run("mailq").out().contains("in 2 Requests."));
    }

    @Test
    void mailqShouldListEachDeferredMailWithItsSizeSenderRecipientsAndReason() {
        Result mailq = commands.run("mailq");

        assertThat(mailq.exitCode()).isZero();
        assertThat(mailq.out()).startsWith("-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------\n")
            .contains("(connect to 127.0.0.1[127.0.0.1]:" + nextHop + ": Connection refused)\n")
            .contains("\n" + " ".repeat(41) + "first@example.net\n" + " ".repeat(41) + "second@example.net\n")
            .contains("\n" + " ".repeat(41) + "third@example.org\n")
            .endsWith(" Kbytes in 2 Requests.\n");
        Matcher mail = MAIL_LINE.matcher(mailq.out());
        assertThat(mail.find()).isTrue();
        String id = mail.group(1);
        assertThat(mail.group(3)).isIn("app@example.com", "billing@example.com");
        assertThat(Long.parseLong(mail.group(2))).isEqualTo(messageBytes(id));
        assertThat(commands.run("postqueue", "-p")).isEqualTo(mailq);
    }

    @Test
    void postcatShouldShowTheEnvelopeAndTheMessage() {
        String id = idOf("billing@example.com");

        Result postcat = commands.run("postcat", "-q", id);

        assertThat(postcat.exitCode()).isZero();
        assertThat(postcat.out()).startsWith("*** ENVELOPE RECORDS " + id + " ***\n")
            .contains("\nsender: billing@example.com\n", "\nrecipient: third@example.org\n",
                "\nreason: connect to 127.0.0.1[127.0.0.1]:" + nextHop + ": Connection refused\n", "\nattempts: 1\n")
            .contains("*** MESSAGE CONTENTS " + id + " ***\n")
            .contains("Subject: Second\r\n", "body two")
            .endsWith("*** MESSAGE FILE END " + id + " ***\n");
    }

    @Test
    void postsuperShouldDeleteOneMailAndSayWhenAnIdIsNotQueued() {
        String id = idOf("billing@example.com");

        Result deleted = commands.run("postsuper", "-d", id);
        Result again = commands.run("sendonly", "queue", "delete", id);

        assertThat(deleted.exitCode()).isZero();
        assertThat(deleted.out()).isEqualTo(id + ": removed\n");
        assertThat(commands.run("mailq").out()).doesNotContain(id, "billing@example.com").contains("in 1 Request.");
        assertThat(again.exitCode()).isEqualTo(67);
        assertThat(again.err()).isEqualTo(id + ": not in the queue\n");
        assertThat(commands.run("postcat", "-q", id).exitCode()).isEqualTo(67);
    }

    @Test
    void postcatShouldRefuseWhatCannotBeAQueueId() {
        Result postcat = commands.run("postcat", "-q", "Mail1' OR '1'='1");

        assertThat(postcat.exitCode()).isEqualTo(65);
        assertThat(postcat.err()).isEqualTo("postcat: id: 'Mail1' OR '1'='1' is not a queue id\n");
    }

    @Test
    void postqueueFlushShouldDeliverDeferredMailNow() throws Exception {
        SmtpSink nextHopBack = closer.register(SmtpSink.start(InetAddress.getLoopbackAddress(), nextHop));

        Result flush = commands.run("postqueue", "-f");

        assertThat(flush.exitCode()).isZero();
        await().atMost(TIMEOUT).until(() -> nextHopBack.received().size() == 2);
        await().atMost(TIMEOUT).until(() -> commands.run("mailq").out().equals("Mail queue is empty\n"));
    }

    @Test
    void commandsShouldExitWithNoPermissionWithoutTheCredential() throws Exception {
        Files.delete(commands.tokenFile());

        Result mailq = commands.run("mailq");

        assertThat(mailq.exitCode()).isEqualTo(77);
        assertThat(mailq.err()).startsWith("mailq: cannot read the webadmin credential " + commands.tokenFile());
    }

    @Test
    void commandsShouldExitUnavailableWhenTheServerIsDown() {
        server.stop();

        Result mailq = commands.run("mailq");

        assertThat(mailq.exitCode()).isEqualTo(69);
        assertThat(mailq.err()).startsWith("mailq: cannot connect to webadmin at http://127.0.0.1:");
    }

    /** The size of the message as postcat shows it, between its markers. */
    private long messageBytes(String id) {
        String postcat = commands.run("postcat", "-q", id).out();
        String start = "*** MESSAGE CONTENTS " + id + " ***\n";
        String message = postcat.substring(postcat.indexOf(start) + start.length(), postcat.indexOf("*** MESSAGE FILE END " + id + " ***\n"));
        return message.getBytes(StandardCharsets.UTF_8).length;
    }

    private String idOf(String sender) {
        Matcher mail = MAIL_LINE.matcher(commands.run("mailq").out());
        while (mail.find()) {
            if (mail.group(3).equals(sender)) {
                return mail.group(1);
            }
        }
        throw new AssertionError("no mail from " + sender + " in the queue");
    }
}
