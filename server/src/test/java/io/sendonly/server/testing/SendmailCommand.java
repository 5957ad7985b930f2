package io.sendonly.server.testing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.sendonly.sendmail.Sendmail;

/**
 * bin/sendmail's main class run in this JVM, as user {@code tester} with default domain {@code example.com}, its
 * home (conf/, var/maildrop) and the SMTP port it submits to given.
 */
public final class SendmailCommand {
    public record Result(int exitCode, String out, String err) {
    }

    private final Map<String, String> environment;

    private SendmailCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    public static SendmailCommand at(Path home, int port) {
        return new SendmailCommand(Map.of("SENDONLY_HOME", home.toString(), "SENDONLY_SMTP_PORT", String.valueOf(port),
            "SENDONLY_DEFAULT_DOMAIN", "example.com", "USER", "tester"));
    }

    /** The same with more environment variables, e.g. SENDONLY_SMTP_USER. */
    public SendmailCommand with(Map<String, String> variables) {
        Map<String, String> more = new HashMap<>(environment);
        more.putAll(variables);
        return new SendmailCommand(Map.copyOf(more));
    }

    public Result run(String input, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Sendmail(environment, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)).run(args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
