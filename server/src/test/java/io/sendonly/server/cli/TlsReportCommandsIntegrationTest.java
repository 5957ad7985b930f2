package io.sendonly.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.server.testing.OperatorCommands;
import io.sendonly.server.testing.OperatorCommands.Result;
import io.sendonly.server.testing.RelayedServer;

/** {@code bin/sendonly tls-reports} against the real server, as shipped: TLS-RPT on, nothing counted yet. */
class TlsReportCommandsIntegrationTest {
    @RegisterExtension
    final RelayedServer relayed = new RelayedServer();

    /** Made at the first command, once the server is up. */
    private OperatorCommands commands;

    @Test
    void showShouldPrintTodaysEmptyTable() throws IOException {
        Result shown = tlsReports();

        assertThat(shown.exitCode()).isZero();
        assertThat(shown.out().lines()).hasSize(2);
        assertThat(shown.out()).startsWith("Today (").contains("DOMAIN", "POLICY", "SUCCESSFUL", "FAILED");
        assertThat(tlsReports("show").out()).isEqualTo(shown.out());
    }

    @Test
    void sendShouldSayThereIsNothingToSend() throws IOException {
        Result sent = tlsReports("send");

        assertThat(sent.exitCode()).isZero();
        assertThat(sent.out()).isEqualTo("no report to send: no day ended with counts not yet reported\n");
    }

    @Test
    void anUnknownVerbShouldBeAUsageError() throws IOException {
        Result unknown = tlsReports("mail");

        assertThat(unknown.exitCode()).isEqualTo(64);
        assertThat(unknown.err()).isEqualTo("sendonly: tls-reports: unknown verb 'mail'; expected show or send\n");
    }

    private Result tlsReports(String... args) throws IOException {
        if (commands == null) {
            commands = OperatorCommands.of(relayed.server());
        }
        return commands.run(Stream.concat(Stream.of("sendonly", "tls-reports"), Stream.of(args)).toArray(String[]::new));
    }
}
