package io.sendonly.server.sendmail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.sendmail.Sendmail;
import io.sendonly.server.testing.RelayedServer;

/** sendmail on a host the server does not trust (another container): SMTP AUTH over STARTTLS from its settings. */
class SendmailAuthIntegrationTest {
    @RegisterExtension
    final RelayedServer relayed = new RelayedServer(server -> server.trustedHosts("127.0.0.9/32\n"));

    @TempDir
    Path home;

    @Test
    void withCredentialsShouldAuthenticateOverStartTlsAndRelay() throws Exception {
        assertThat(relayed.webAdmin().put("/users/webapp", "{\"password\":\"s3cret\"}").statusCode()).isEqualTo(204);

        assertThat(sendmail(Map.of("SENDONLY_SMTP_USER", "webapp", "SENDONLY_SMTP_PASSWORD", "s3cret"))).isZero();

        await().atMost(Duration.ofSeconds(60)).until(() -> relayed.sink().received().size() == 1);
    }

    @Test
    void withoutCredentialsAnUntrustedHostShouldBeRefused() {
        assertThat(sendmail(Map.of())).isEqualTo(67);
    }

    @Test
    void wrongPasswordShouldBeUnavailable() throws Exception {
        relayed.webAdmin().put("/users/webapp", "{\"password\":\"s3cret\"}");

        assertThat(sendmail(Map.of("SENDONLY_SMTP_USER", "webapp", "SENDONLY_SMTP_PASSWORD", "wrong"))).isEqualTo(69);
    }

    private int sendmail(Map<String, String> credentials) {
        Map<String, String> environment = new HashMap<>(credentials);
        environment.putAll(Map.of("SENDONLY_HOME", home.toString(), "SENDONLY_SMTP_PORT", String.valueOf(relayed.server().smtpPort()),
            "SENDONLY_DEFAULT_DOMAIN", "example.com", "USER", "app"));
        return new Sendmail(environment, new ByteArrayInputStream("Subject: auth\n\nbody\n".getBytes(StandardCharsets.UTF_8)),
            new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream())).run(new String[] {"user@example.net"});
    }
}
