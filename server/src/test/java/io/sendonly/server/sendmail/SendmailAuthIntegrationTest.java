package io.sendonly.server.sendmail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.RelayedServer;
import io.sendonly.server.testing.SendmailCommand;

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
    void withoutCredentialsAnUntrustedHostShouldBeRefusedByPolicy() {
        assertThat(sendmail(Map.of())).isEqualTo(77);
    }

    @Test
    void wrongPasswordShouldBeRefusedByPolicy() throws Exception {
        relayed.webAdmin().put("/users/webapp", "{\"password\":\"s3cret\"}");

        assertThat(sendmail(Map.of("SENDONLY_SMTP_USER", "webapp", "SENDONLY_SMTP_PASSWORD", "wrong"))).isEqualTo(77);
    }

    private int sendmail(Map<String, String> credentials) {
        return SendmailCommand.at(home, relayed.server().smtpPort()).with(credentials).run("Subject: auth\n\nbody\n", "user@example.net").exitCode();
    }
}
