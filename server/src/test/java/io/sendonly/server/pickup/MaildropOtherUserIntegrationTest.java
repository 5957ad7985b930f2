package io.sendonly.server.pickup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.sendmail.Sendmail;
import io.sendonly.smtp.SmtpSession;
import io.sendonly.server.testing.Distribution;
import io.sendonly.server.testing.LogCapture;
import io.sendonly.server.testing.Prerequisites;
import io.sendonly.server.testing.RelayedServer;

/**
 * The maildrop's permission model with real users: sendmail runs as another uid (setpriv) while the server cannot
 * be reached; a member of the maildrop's group drops, and the pickup relays it as that uid's local submission; a
 * user outside the group cannot drop at all. The folders are set up as the README says: var/ 0710 and the
 * maildrop 1730, both of the drop group.
 */
class MaildropOtherUserIntegrationTest {
    private static final int DROP_GROUP = 4242;
    private static final int MEMBER = 12345;
    private static final int STRANGER = 12346;

    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(server -> server.trustedHosts("127.0.0.9/32\n"));

    @RegisterExtension
    final LogCapture log = new LogCapture();

    private record Run(int exitCode, String err) {
    }

    @BeforeEach
    void openTheMaildropToItsGroup() throws IOException {
        Prerequisites.require(Prerequisites.isRoot() && Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs root and setpriv");
        Path home = relayed.server().workingDirectory();
        Files.setAttribute(home, "unix:mode", 0711);
        for (Path folder : List.of(home.resolve("var"), home.resolve("var/maildrop"))) {
            Files.setAttribute(folder, "unix:gid", DROP_GROUP);
        }
        Files.setAttribute(home.resolve("var"), "unix:mode", 0710);
    }

    @Test
    void memberOfTheDropGroupShouldBeRelayedAsItsUid() throws Exception {
        Run run = sendmailAs(List.of("--reuid=" + MEMBER, "--regid=" + MEMBER, "--groups=" + DROP_GROUP));

        assertThat(run.exitCode()).as(run.err()).isZero();
        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().size() == 1);
        assertThat(relayed.sink().received().get(0).mailFrom()).isEqualTo("www-data@example.com");
        assertThat(relayed.sink().received().get(0).header("Received")).startsWith("by localhost (james-sendonly, from userid " + MEMBER + ")");
        assertThat(log.text()).contains("uid=" + MEMBER + ", from=<www-data@example.com>, nrcpt=1");
    }

    @Test
    void userOutsideTheDropGroupShouldNotDrop() throws Exception {
        Run run = sendmailAs(List.of("--reuid=" + STRANGER, "--regid=" + STRANGER, "--clear-groups"));

        assertThat(run.exitCode()).isEqualTo(69);
        assertThat(run.err()).startsWith("sendmail: cannot reach").contains("is not writable");
    }

    private static String location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    /** bin/sendmail's class in a JVM of its own, run by setpriv with {@code credentials}, to a port nothing listens on. */
    private Run sendmailAs(List<String> credentials) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/setpriv"));
        command.addAll(credentials);
        command.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(), "-XX:-UsePerfData", "-cp",
            location(Sendmail.class) + File.pathSeparator + location(SmtpSession.class), Sendmail.class.getName(),
            "user@example.net"));
        ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("/").toFile());
        builder.environment().putAll(Map.of("SENDONLY_HOME", relayed.server().workingDirectory().toString(),
            "SENDONLY_SMTP_PORT", String.valueOf(Distribution.freePort()), "SENDONLY_DEFAULT_DOMAIN", "example.com", "USER", "www-data"));
        Process process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        process.getOutputStream().write("Subject: from another user\n\nbody\n".getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(process.waitFor(), err);
    }
}
