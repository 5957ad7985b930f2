package io.sendonly.server.sendmail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.dkim.DkimRecord;
import io.sendonly.dkim.IndependentVerifiers;
import io.sendonly.dkim.TestKeys;
import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.ConfFile;
import io.sendonly.server.testing.Distribution;
import io.sendonly.server.testing.Prerequisites;
import io.sendonly.server.testing.SmtpSink;

/** Real PHP: mail() with sendmail_path set to the distribution's bin/sendmail, through the real server, DKIM-signed. */
class PhpMailIT {
    @TempDir
    Path home;

    @RegisterExtension
    final Closer closer = new Closer();

    private Distribution server;

    @Test
    void phpMailShouldLeaveSignedWithTheRightEnvelope() throws Exception {
        Prerequisites.require(Files.isExecutable(Path.of("/usr/bin/php")), "needs php-cli; .ci/run installs it");
        SmtpSink sink = closer.register(SmtpSink.start(InetAddress.getLoopbackAddress(), 0));
        server = closer.register(Distribution.copyTo(home));
        ConfFile.write(server.conf("routes"), "default [127.0.0.1]:" + sink.port() + "\n");
        ConfFile.of(server.conf("domainlist.xml")).set("/domainlist/defaultDomain", "example.com").save();
        String record = writeKey(home.resolve("conf/dkim"));
        server.start();

        String script = "$ok = mail('user@example.net', 'Password reset', \"Your code is 123456.\", "
            + "['From' => 'App <www-data@example.com>', 'Bcc' => 'audit@example.net']); exit($ok ? 0 : 1);";
        runPhp(script, "-t -i");
        runPhp(script, "-t -i -f bounces@example.com");

        await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() == 2);
        assertThat(sink.received()).extracting(SmtpSink.Received::mailFrom)
            .containsExactlyInAnyOrder("www-data@example.com", "bounces@example.com");
        for (SmtpSink.Received received : sink.received()) {
            assertThat(received.rcptTo()).containsExactlyInAnyOrder("user@example.net", "audit@example.net");
            assertThat(received.header("Subject")).isEqualTo("Password reset");
            assertThat(received.header("Bcc")).isNull();
            assertThat(received.body()).isEqualTo("Your code is 123456.\r\n");
            for (IndependentVerifiers.Result result : IndependentVerifiers.verify(received.data(), "example.com",
                Map.of("php._domainkey.example.com", record))) {
                assertThat(result.passed()).as(result.verifier() + "\n" + received.text() + "\n" + result.output()).isTrue();
            }
        }
    }

    /** Runs a PHP script whose mail() goes through bin/sendmail with {@code flags}, as php.ini's sendmail_path. */
    private void runPhp(String script, String flags) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/php", "-d", "sendmail_path=" + home.resolve("bin/sendmail") + " " + flags,
            "-r", script).redirectErrorStream(true);
        // As php-fpm runs: the login name is the envelope sender unless -f is given.
        builder.environment().put("USER", "www-data");
        builder.environment().put("SENDONLY_SMTP_PORT", String.valueOf(server.smtpPort()));
        builder.environment().put("SENDONLY_DEFAULT_DOMAIN", "example.com");
        Process php = builder.start();
        assertThat(php.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(php.exitValue()).as(new String(php.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
    }

    private static String writeKey(Path dkim) throws Exception {
        KeyPair pair = TestKeys.rsa(2048);
        TestKeys.write(dkim.resolve("keys/php.private"), pair.getPrivate(), "rw-------");
        Files.writeString(dkim.resolve("KeyTable"), "php example.com:php:keys/php.private\n");
        Files.writeString(dkim.resolve("SigningTable"), "*@example.com php\n");
        return DkimRecord.of(pair.getPublic(), false, false);
    }
}
