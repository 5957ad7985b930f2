package io.sendonly.server.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.Distribution;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;

/**
 * The Docker image's entrypoint ({@code bin/docker-entrypoint}), run on the host against the assembled
 * distribution as the image runs it: environment in, configuration files out, server up, mail relayed and signed.
 */
class DockerEntrypointIT {
    private static final int EX_CONFIG = 78;

    @TempDir
    Path directory;

    @RegisterExtension
    final Closer closer = new Closer();

    private record Run(int exitCode, String output) {
    }

    @Test
    void eachVariableShouldReachItsConfigurationFile() throws Exception {
        Distribution distribution = Distribution.pristineCopyTo(directory.resolve("home"), 0, 0);

        Run run = render(distribution, Map.of(
            "SENDONLY_DEFAULT_DOMAIN", "example.com",
            "SENDONLY_ADMIN_ADDRESS", "ops@example.com",
            "SENDONLY_SMART_HOST", "smtp.sendgrid.net smtp --port=587 --starttls --user=apikey --pass=SG.secret",
            "SENDONLY_TRUSTED_NETWORKS", "172.18.0.0/16, 10.1.2.3",
            "SENDONLY_SMTP_LISTEN", "0.0.0.0:2525",
            "SENDONLY_WEBADMIN_PORT", "8081",
            "SENDONLY_HELO_NAME", "mail.example.com",
            "SENDONLY_DKIM_SELECTOR", "s2026"));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(conf(distribution, "domainlist.xml")).contains("<defaultDomain>example.com</defaultDomain>");
        assertThat(conf(distribution, "sendmail.properties")).doesNotContain("example.com");
        assertThat(conf(distribution, "mailetcontainer.xml")).contains("<postmaster>ops@example.com</postmaster>")
            .doesNotContain("heloName");
        assertThat(conf(distribution, "smtpserver.xml")).contains("<bind>0.0.0.0:2525</bind>")
            .contains(">mail.example.com</helloName>");
        assertThat(conf(distribution, "webadmin.properties")).contains("port=8081").contains("host=127.0.0.1");
        assertThat(conf(distribution, "routes"))
            .contains("default smtp.sendgrid.net smtp --port=587 --starttls --user=apikey --pass=SG.secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(distribution.conf("routes")))).isEqualTo("rw-------");
        assertThat(conf(distribution, "TrustedHosts")).contains("\n172.18.0.0/16\n10.1.2.3\n");
        assertThat(conf(distribution, "dkim/KeyTable")).contains("s2026._domainkey.example.com example.com:s2026:keys/s2026.private");
        assertThat(conf(distribution, "dkim/SigningTable")).contains("*@example.com s2026._domainkey.example.com");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(distribution.conf("dkim/keys/s2026.private"))))
            .isEqualTo("rw-------");
        assertThat(run.output()).contains("publish this DNS record").contains("s2026._domainkey").contains("v=DKIM1")
            .doesNotContain("SG.secret");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "SENDONLY_DEFAULT_DOMAIN| ''",
        "SENDONLY_DEFAULT_DOMAIN| not a domain",
        "SENDONLY_ADMIN_ADDRESS| nobody",
        "SENDONLY_SMART_HOST| smtp.example.com smtp --startls",
        "SENDONLY_TRUSTED_NETWORKS| 10.0.0.0/33",
        "SENDONLY_SMTP_LISTEN| everywhere",
        "SENDONLY_WEBADMIN_PORT| 80800",
        "SENDONLY_HELO_NAME| mail_example",
        "SENDONLY_DKIM_SELECTOR| s/1",
    })
    void badValueShouldStopNamingTheVariableAndChangeNothing(String variable, String value) throws Exception {
        Distribution distribution = Distribution.pristineCopyTo(directory.resolve("home"), 0, 0);
        String before = conf(distribution, "mailetcontainer.xml") + conf(distribution, "domainlist.xml");
        Map<String, String> environment = new HashMap<>(Map.of("SENDONLY_DEFAULT_DOMAIN", "example.com"));
        environment.put(variable, value);

        Run run = render(distribution, environment);

        assertThat(run.exitCode()).as(run.output()).isEqualTo(EX_CONFIG);
        assertThat(run.output()).contains(variable);
        assertThat(conf(distribution, "mailetcontainer.xml") + conf(distribution, "domainlist.xml")).isEqualTo(before);
        assertThat(distribution.conf(".rendered")).doesNotExist();
    }

    @Test
    void secondStartShouldKeepKeysAndConfiguration() throws Exception {
        Distribution distribution = Distribution.pristineCopyTo(directory.resolve("home"), 0, 0);
        assertThat(render(distribution, Map.of("SENDONLY_DEFAULT_DOMAIN", "example.com")).exitCode()).isZero();
        byte[] key = Files.readAllBytes(distribution.conf("dkim/keys/mail.private"));
        String keyTable = conf(distribution, "dkim/KeyTable");

        Run second = render(distribution, Map.of("SENDONLY_DEFAULT_DOMAIN", "example.org"));

        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("already rendered");
        assertThat(Files.readAllBytes(distribution.conf("dkim/keys/mail.private"))).isEqualTo(key);
        assertThat(conf(distribution, "dkim/KeyTable")).isEqualTo(keyTable);
        assertThat(conf(distribution, "domainlist.xml")).contains("<defaultDomain>example.com</defaultDomain>");
    }

    @Test
    void mountedKeyShouldBeUsedNotReplaced() throws Exception {
        Distribution distribution = Distribution.pristineCopyTo(directory.resolve("home"), 0, 0);
        Path keys = Files.createDirectories(directory.resolve("mounted"));
        Process genkey = new ProcessBuilder(distribution.home().resolve("bin/genkey").toString(),
            "-d", "example.com", "-s", "mail", "-D", keys.toString()).redirectErrorStream(true).start();
        assertThat(genkey.waitFor(60, TimeUnit.SECONDS) && genkey.exitValue() == 0).isTrue();
        byte[] mounted = Files.readAllBytes(keys.resolve("mail.private"));
        Files.copy(keys.resolve("mail.private"), distribution.conf("dkim/keys/mail.private"));

        Run run = render(distribution, Map.of("SENDONLY_DEFAULT_DOMAIN", "example.com"));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("using the mounted key");
        assertThat(Files.readAllBytes(distribution.conf("dkim/keys/mail.private"))).isEqualTo(mounted);
    }

    @Test
    void renderedServerShouldStartAndRelaySignedMailToTheSmartHost() throws Exception {
        SmtpSink sink = closer.register(SmtpSink.start());
        int smtpPort = Distribution.freePort();
        Distribution distribution = closer.register(Distribution.pristineCopyTo(directory.resolve("home"), smtpPort, Distribution.freePort()));

        distribution.start("bin/docker-entrypoint", Map.of(
            "SENDONLY_DEFAULT_DOMAIN", "example.com",
            "SENDONLY_SMART_HOST", "[127.0.0.1]:" + sink.port(),
            "SENDONLY_SMTP_LISTEN", "127.0.0.1:" + smtpPort,
            "SENDONLY_WEBADMIN_PORT", String.valueOf(distribution.webAdminPort())));
        String messageId = Messages.newMessageId();
        try (SmtpClient client = SmtpClient.connect(smtpPort)) {
            client.send("www-data", "user@example.net",
                Messages.simple(messageId, "www-data", "user@example.net", "Welcome", "body\r\n"));
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> !sink.received().isEmpty());
        SmtpSink.Received received = sink.received().get(0);
        assertThat(received.mailFrom()).isEqualTo("www-data@example.com");
        assertThat(received.header("Message-ID")).isEqualTo(messageId);
        assertThat(received.header("DKIM-Signature")).contains("d=example.com").contains("s=mail");
        Process healthcheck = new ProcessBuilder(distribution.home().resolve("bin/healthcheck").toString()).inheritIO().start();
        assertThat(healthcheck.waitFor(30, TimeUnit.SECONDS) && healthcheck.exitValue() == 0).as("bin/healthcheck, the image's HEALTHCHECK").isTrue();
    }

    private static Run render(Distribution distribution, Map<String, String> environment) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(distribution.home().resolve("bin/docker-entrypoint").toString(), "--render-only")
            .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("SENDONLY_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), output);
    }

    private static String conf(Distribution distribution, String name) throws IOException {
        return Files.readString(distribution.conf(name));
    }
}
