package io.sendonly.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command answers before webadmin does: usage, configuration, credential, connection. */
class SendonlyTest {
    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void runShouldPrintTheUsageWithoutAResource() {
        assertThat(run("sendonly")).isEqualTo(CliException.EX_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: sendonly RESOURCE VERB");
    }

    @Test
    void runShouldPrintTheUsageOnStandardOutputWhenAskedFor() {
        assertThat(run("sendonly", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("usage: sendonly RESOURCE VERB");
    }

    @Test
    void runShouldRefuseAnUnknownVerbNamingTheExpectedOnes() throws Exception {
        webadmin(8000);

        assertThat(run("sendonly", "networks", "purge")).isEqualTo(CliException.EX_USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("sendonly: networks: unknown verb 'purge'; expected list, add or remove\n");
    }

    @Test
    void runShouldExitWithNoPermissionWithoutTheCredential() throws Exception {
        webadmin(8000);

        assertThat(run("mailq")).isEqualTo(CliException.EX_NOPERM);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("mailq: cannot read the webadmin credential " + home.resolve("var/webadmin/token"));
    }

    @Test
    void runShouldExitUnavailableWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        webadmin(port);
        Files.createDirectories(home.resolve("var/webadmin"));
        Files.writeString(home.resolve("var/webadmin/token"), "t0k3n\n");

        assertThat(run("postqueue", "-p")).isEqualTo(CliException.EX_UNAVAILABLE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("postqueue: cannot connect to webadmin at http://127.0.0.1:" + port);
    }

    private void webadmin(int port) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/webadmin.properties"), "enabled=true\nhost=127.0.0.1\nport=" + port + "\n");
    }

    private int run(String... args) {
        return new Sendonly(Map.of(Settings.HOME, home.toString()), new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
            Optional.empty(), ZoneOffset.UTC).run(List.of(args));
    }
}
