package io.sendonly.server.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.sendonly.cli.Sendonly;

/**
 * bin/sendonly, bin/mailq and the other operator commands, run in this JVM against a {@link TestServer}: its
 * working directory is the distribution folder, its conf/webadmin.properties names the port webadmin took, and
 * var/webadmin/token holds the credential.
 */
public final class OperatorCommands {
    public record Result(int exitCode, String out, String err) {
    }

    private final Path home;

    private OperatorCommands(Path home) {
        this.home = home;
    }

    /** For a started server: its webadmin port written where the commands read it, and a credential if none. */
    public static OperatorCommands of(TestServer server) throws IOException {
        server.replaceInConf("webadmin.properties", "port=0", "port=" + server.webAdminPort());
        credential(server.workingDirectory());
        return new OperatorCommands(server.workingDirectory());
    }

    /**
     * The credential of the server started in {@code home}: its own once the server makes one at start, written
     * here as the server would until then.
     */
    public static void credential(Path home) throws IOException {
        Path token = tokenFile(home);
        if (!Files.exists(token)) {
            Files.createDirectories(token.getParent());
            Files.writeString(token, "operator-token\n");
            Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
        }
    }

    public Path tokenFile() {
        return tokenFile(home);
    }

    private static Path tokenFile(Path home) {
        return home.resolve("var/webadmin/token");
    }

    /** @param args the program ({@code sendonly}, {@code mailq}, ...) then its arguments */
    public Result run(String... args) {
        return runWithInput("", args);
    }

    public Result runWithInput(String standardInput, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = new Sendonly(Map.of("SENDONLY_HOME", home.toString()),
            new ByteArrayInputStream(standardInput.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
            Optional.empty(), ZoneId.systemDefault()).run(List.of(args));
        return new Result(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
