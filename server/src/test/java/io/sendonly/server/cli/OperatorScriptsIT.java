package io.sendonly.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.ConfFile;
import io.sendonly.server.testing.Distribution;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.OperatorCommands;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;

/**
 * The scripts of the assembled distribution's bin/, as an operator types them: sendmail -bp and -q, mailq,
 * postqueue, sendonly, each a process of its own against the server run by bin/james-sendonly.
 */
class OperatorScriptsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    @RegisterExtension
    final Closer closer = new Closer();

    private record Run(int exitCode, String out, String err) {
    }

    @Test
    void queueScriptsShouldListAndFlushDeferredMail() throws Exception {
        int nextHop = Distribution.freePort();
        Distribution distribution = closer.register(Distribution.copyTo(directory.resolve("james-sendonly")));
        ConfFile.write(distribution.conf("routes"), "default [127.0.0.1]:" + nextHop + "\n");
        distribution.start();
        OperatorCommands.credential(distribution.home());
        try (SmtpClient client = SmtpClient.connect(distribution.smtpPort())) {
            client.send("app@example.com", "user@example.net",
                Messages.simple(Messages.newMessageId(), "app@example.com", "user@example.net", "deferred", "body\r\n"));
        }

        // As the Docker image links it: /usr/sbin/sendmail -bp.
        Path sendmail = Files.createSymbolicLink(directory.resolve("sendmail"), distribution.home().resolve("bin/sendmail"));
        await().atMost(TIMEOUT).until(() -> run(sendmail, Map.of(), "-bp").out().endsWith("in 1 Request.\n"));
        Run mailq = run(distribution, Map.of(), "mailq");
        assertThat(mailq.exitCode()).isZero();
        assertThat(mailq.out()).contains("app@example.com", "user@example.net", "(connect to 127.0.0.1[127.0.0.1]:" + nextHop);
        assertThat(run(distribution, Map.of(), "postqueue", "-p")).isEqualTo(mailq);

        SmtpSink nextHopBack = closer.register(SmtpSink.start(InetAddress.getLoopbackAddress(), nextHop));
        assertThat(run(distribution, Map.of(), "sendmail", "-q").exitCode()).isZero();
        await().atMost(TIMEOUT).until(() -> nextHopBack.received().size() == 1);
        await().atMost(TIMEOUT).until(() -> run(distribution, Map.of(), "mailq").out().equals("Mail queue is empty\n"));
    }

    @Test
    void sendonlyShouldTellUsageCredentialAndConfigurationProblemsByExitCode() throws Exception {
        Distribution distribution = closer.register(Distribution.copyTo(directory.resolve("james-sendonly")));
        distribution.start();
        OperatorCommands.credential(distribution.home());

        Run networks = run(distribution, Map.of(), "sendonly", "networks", "list");
        Run usage = run(distribution, Map.of(), "postqueue", "-x");
        Run noCredential = run(distribution, Map.of("SENDONLY_WEBADMIN_TOKEN_FILE", directory.resolve("absent").toString()), "mailq");

        assertThat(networks.exitCode()).isZero();
        assertThat(networks.out()).isEqualTo("127.0.0.0/8\n::1/128\n");
        assertThat(usage.exitCode()).isEqualTo(64);
        assertThat(usage.err()).isEqualTo("postqueue: usage: postqueue -p | -f\n");
        assertThat(noCredential.exitCode()).isEqualTo(77);
        assertThat(noCredential.err()).startsWith("mailq: cannot read the webadmin credential " + directory.resolve("absent"));
    }

    private static Run run(Distribution distribution, Map<String, String> environment, String script, String... args) throws Exception {
        return run(distribution.home().resolve("bin").resolve(script), environment, args);
    }

    private static Run run(Path executable, Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(executable.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out, err);
    }
}
