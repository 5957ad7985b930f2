package io.sendonly.server.pickup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.sendmail.MaildropRecord;
import io.sendonly.server.testing.LogCapture;
import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SmtpSink;

/**
 * The pickup against files dropped by hand in the real server's maildrop. The server trusts no network here
 * (TrustedHosts holds 127.0.0.9 only), so what it relays it relays as a local submission by the file's owner.
 */
class MaildropPickupIntegrationTest {
    private static final String MARKER = "MARKER-5f0c-from-the-file";

    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(server -> server.trustedHosts("127.0.0.9/32\n"));

    @RegisterExtension
    final LogCapture log = new LogCapture();

    @TempDir
    Path outside;

    @Test
    void validRecordShouldBeRelayedAsALocalSubmissionByTheFileOwner() throws Exception {
        Path file = drop("valid.mail", record(uid(), "app@example.com", "dropped").bytes());

        SmtpSink.Received received = delivered("dropped");
        assertThat(received.mailFrom()).isEqualTo("app@example.com");
        assertThat(received.rcptTo()).containsExactly("user@example.net");
        assertThat(received.header("Received")).startsWith("by localhost (james-sendonly, from userid " + uid() + ") id maildrop-");
        assertThat(log.text()).contains("Picked up valid.mail from the maildrop as maildrop-").contains("uid=" + uid() + ", from=<app@example.com>, nrcpt=1");
        assertThat(file).doesNotExist();
    }

    @Test
    void symlinkShouldBeMovedAsideUnfollowed() throws Exception {
        Path target = Files.write(outside.resolve("target"), record(uid(), "app@example.com", MARKER).bytes());
        Path link = Files.createSymbolicLink(maildrop().resolve("link.mail"), target);

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.isSymbolicLink(maildrop().resolve("corrupt/link.mail")));
        assertThat(link).doesNotExist();
        assertThat(target).exists();
        assertThat(log.text()).contains("link.mail cannot be picked up (not a regular file (a symbolic link))").doesNotContain(MARKER);
        dropValidAndAwaitIt();
    }

    @Test
    void corruptFileShouldBeMovedAsideWithoutLoggingItsContent() throws Exception {
        drop("garbage.mail", (MARKER + " Sender: <a@example.com>\nRecipient: <b@example.net>\n\n" + MARKER + "\n").getBytes(StandardCharsets.UTF_8));

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(maildrop().resolve("corrupt/garbage.mail")));
        assertThat(log.text()).contains("garbage.mail cannot be picked up (not a maildrop file").doesNotContain(MARKER);
    }

    @Test
    void recordClaimingAnotherUidShouldBeMovedAside() throws Exception {
        drop("forged.mail", record(uid() + 1, "app@example.com", MARKER).bytes());

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(maildrop().resolve("corrupt/forged.mail")));
        assertThat(log.text()).contains("forged.mail cannot be picked up (written by uid " + (uid() + 1) + " but owned by uid " + uid() + ")")
            .doesNotContain(MARKER);
        dropValidAndAwaitIt();
    }

    @Test
    void maildropShouldBeMadeWithMode1730() throws Exception {
        assertThat(Files.getAttribute(maildrop(), "unix:mode")).isEqualTo(040000 | MaildropFolder.MODE);
    }

    /** Drops a valid record and waits for it: what was dropped before has been dealt with by then, and nothing else was sent. */
    private void dropValidAndAwaitIt() throws Exception {
        drop("valid.mail", record(uid(), "app@example.com", "valid").bytes());
        delivered("valid");
        assertThat(relayed.sink().received()).hasSize(1);
    }

    private SmtpSink.Received delivered(String subject) {
        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().stream().anyMatch(mail -> subject.equals(mail.header("Subject"))));
        return relayed.sink().received().stream().filter(mail -> subject.equals(mail.header("Subject"))).findFirst().orElseThrow();
    }

    private Path drop(String name, byte[] content) throws Exception {
        Path temp = Files.write(maildrop().resolve("." + name + ".tmp"), content);
        return Files.move(temp, maildrop().resolve(name));
    }

    private Path maildrop() {
        return relayed.server().workingDirectory().resolve("var/maildrop");
    }

    private static MaildropRecord record(int uid, String sender, String subject) {
        return new MaildropRecord(uid, sender, List.of("user@example.net"),
            ("From: " + sender + "\r\nSubject: " + subject + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static int uid() throws Exception {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}
