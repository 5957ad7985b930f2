package io.sendonly.server.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.dkim.IndependentVerifiers;
import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.Distribution;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;

/**
 * docker/Dockerfile built with podman on the local Debian 12 base (docker/build-base-image.sh) and the distribution
 * this build assembled, then run as .ci/run's machine runs containers: configured from the environment, it relays
 * signed mail over loopback to a sink, and its volumes keep the queue and the key for the next container.
 * Needs -Pcontainer and root; the base image is built once per version of its script and kept for the next run.
 */
@EnabledIfSystemProperty(named = Podman.PROFILE_PROPERTY, matches = "true", disabledReason = "runs with -Pcontainer, as .ci/run builds")
class ContainerImageIT {
    private static final String HOME = "/opt/james-sendonly";
    private static final String DOMAIN = "image.example";
    private static final String RECORD_NAME = "mail._domainkey." + DOMAIN;
    private static final String SINK_GREETING = "220 sink ESMTP";
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    private static String image;

    @RegisterExtension
    final Closer closer = new Closer();

    @BeforeAll
    static void buildImage() throws Exception {
        Podman.require();
        Path repository = Path.of(System.getProperty("sendonly.repository"));
        Path baseScript = repository.resolve("docker/build-base-image.sh");
        // Tagged with the script's digest: a changed script makes a new base, an unchanged one reuses the last.
        String baseImage = "localhost/james-sendonly-base:bookworm-"
            + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(baseScript))).substring(0, 16);
        if (!Podman.imageExists(baseImage)) {
            Podman.Result base = Podman.bounded(new ProcessBuilder(baseScript.toString(), baseImage), Duration.ofMinutes(15));
            assertThat(base.exitCode()).as(base.output()).isZero();
        }
        String tag = "localhost/james-sendonly-it:" + UUID.randomUUID();
        List<String> build = new ArrayList<>(List.of("build", "--format", "docker", "--layers=false",
            "--target", "prebuilt", "--build-arg", "RUNTIME_IMAGE=" + baseImage, "--file", repository.resolve("docker/Dockerfile").toString(),
            "--tag", tag));
        build.addAll(Podman.CONTAINER_FLAGS);
        build.add(repository.toString());
        Podman.call(Duration.ofMinutes(5), build);
        image = tag;
    }

    @AfterAll
    static void removeImage() throws Exception {
        if (image != null) {
            Podman.call(Duration.ofSeconds(60), "rmi", "--force", image);
        }
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void firstStartShouldRenderTheEnvironmentAndRelaySignedMailAsNonRoot() throws Exception {
        SmtpSink sink = closer.register(SmtpSink.start());
        int smtpPort = Distribution.freePort();
        SendonlyContainer container = closer.register(SendonlyContainer.start(image, environment(smtpPort, sink), volumes(), smtpPort));

        assertThat(container.logs()).contains("configuration rendered for " + DOMAIN)
            .contains("DKIM: generated " + HOME + "/conf/dkim/keys/mail.private").contains("v=DKIM1");
        assertThat(container.exec("cat", HOME + "/conf/domainlist.xml")).contains("<defaultDomain>" + DOMAIN + "</defaultDomain>");
        assertThat(container.exec("cat", HOME + "/conf/mailetcontainer.xml")).contains("<postmaster>ops@" + DOMAIN + "</postmaster>");
        assertThat(container.exec("cat", HOME + "/conf/routes")).contains("default [127.0.0.1]:" + sink.port());
        Podman.Result health = container.healthcheck();
        assertThat(health.exitCode()).as(health.output()).isZero();
        assertThat(uids(container.processStatus())).as("real, effective, saved and file-system uid of the server").doesNotContain("0");

        String messageId = Messages.newMessageId();
        try (SmtpClient client = SmtpClient.connect(smtpPort)) {
            client.send("www-data", "user@example.net", Messages.simple(messageId, "www-data", "user@example.net", "From the image", "body\r\n"));
        }

        SmtpSink.Received received = await().atMost(Duration.ofSeconds(60)).until(() -> receivedWith(sink, messageId), r -> r != null);
        assertThat(received.helo()).isEqualTo("mx." + DOMAIN);
        assertThat(received.mailFrom()).isEqualTo("www-data@" + DOMAIN);
        assertSignedWithThePublishedKey(received, container);
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void nextContainerOnTheSameVolumesShouldKeepTheKeyAndDeliverTheQueuedMail() throws Exception {
        SmtpSink sink = closer.register(SmtpSink.start());
        sink.greetWith("421 4.3.2 next hop down for the test");
        int smtpPort = Distribution.freePort();
        Map<String, String> volumes = volumes();
        Map<String, String> environment = environment(smtpPort, sink);
        SendonlyContainer first = closer.register(SendonlyContainer.start(image, environment, volumes, smtpPort));
        String key = first.exec("cat", HOME + "/conf/dkim/keys/mail.private");
        String messageId = Messages.newMessageId();
        try (SmtpClient client = SmtpClient.connect(smtpPort)) {
            client.send("app@" + DOMAIN, "queued@example.net", Messages.simple(messageId, "app@" + DOMAIN, "queued@example.net", "Queued", "body\r\n"));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> first.exec(HOME + "/bin/postqueue", "-p").contains("queued@example.net"));
        first.stop();
        first.close();
        sink.greetWith(SINK_GREETING);

        SendonlyContainer next = closer.register(SendonlyContainer.start(image, environment, volumes, smtpPort));

        assertThat(next.logs()).contains("using the mounted key");
        assertThat(next.exec("cat", HOME + "/conf/dkim/keys/mail.private")).isEqualTo(key);
        assertThat(next.exec(HOME + "/bin/postqueue", "-p")).contains("queued@example.net");
        next.exec(HOME + "/bin/postqueue", "-f");
        SmtpSink.Received received = await().atMost(Duration.ofSeconds(60)).until(() -> receivedWith(sink, messageId), r -> r != null);
        assertThat(received.rcptTo()).containsExactly("queued@example.net");
        assertSignedWithThePublishedKey(received, next);
    }

    private static Map<String, String> environment(int smtpPort, SmtpSink sink) throws Exception {
        return Map.of(
            "SENDONLY_DEFAULT_DOMAIN", DOMAIN,
            "SENDONLY_ADMIN_ADDRESS", "ops@" + DOMAIN,
            "SENDONLY_HELO_NAME", "mx." + DOMAIN,
            "SENDONLY_SMART_HOST", "[127.0.0.1]:" + sink.port(),
            "SENDONLY_SMTP_LISTEN", "127.0.0.1:" + smtpPort,
            "SENDONLY_WEBADMIN_PORT", String.valueOf(Distribution.freePort()));
    }

    /** Two new named volumes, the queue's and the keys', removed after the test. */
    private Map<String, String> volumes() throws Exception {
        String prefix = "sendonly-it-" + UUID.randomUUID();
        Map<String, String> volumes = Map.of(prefix + "-var", HOME + "/var", prefix + "-keys", HOME + "/conf/dkim/keys");
        for (String volume : volumes.keySet()) {
            Podman.call(Duration.ofSeconds(30), "volume", "create", volume);
            closer.register(() -> Podman.call(Duration.ofSeconds(60), "volume", "rm", "--force", volume));
        }
        return volumes;
    }

    /** Verified with the DNS record the container published for its key ({@code mail.txt}, as opendkim-genkey writes it). */
    private static void assertSignedWithThePublishedKey(SmtpSink.Received received, SendonlyContainer container) throws Exception {
        String zone = container.exec("cat", HOME + "/conf/dkim/keys/mail.txt");
        String record = QUOTED.matcher(zone).results().map(match -> match.group(1)).collect(Collectors.joining());
        assertThat(received.header("DKIM-Signature")).contains("d=" + DOMAIN).contains("s=mail");
        IndependentVerifiers.assertVerified(IndependentVerifiers.verify(received.data(), DOMAIN, Map.of(RECORD_NAME, record)), received.text());
    }

    private static SmtpSink.Received receivedWith(SmtpSink sink, String messageId) {
        return sink.received().stream().filter(message -> messageId.equals(message.header("Message-ID"))).findFirst().orElse(null);
    }

    /** The four uids of a {@code /proc/PID/status}'s {@code Uid:} line. */
    private static List<String> uids(String status) {
        return status.lines().filter(line -> line.startsWith("Uid:")).findFirst().map(line -> List.of(line.substring(4).trim().split("\\s+")))
            .orElseThrow();
    }
}
