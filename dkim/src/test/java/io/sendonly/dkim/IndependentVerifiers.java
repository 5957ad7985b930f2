package io.sendonly.dkim;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Verifies DKIM signatures with two implementations that share no code with ours: Debian's python3-dkim (dkimpy)
 * and libmail-dkim-perl (Mail::DKIM), with the DNS answers given as {@code selector._domainkey.domain → TXT}.
 */
public final class IndependentVerifiers {
    public record Result(String verifier, int exitCode, String output) {
        public boolean passed() {
            return exitCode == 0;
        }

        /** The verifier supports none of the algorithms signed with (Mail::DKIM and ed25519-sha256). */
        public boolean couldNotJudge() {
            return exitCode == 2;
        }
    }

    private IndependentVerifiers() {
    }

    /** Verifies the signatures made for {@code domain}; others (an upstream signer's) are ignored. */
    public static List<Result> verify(byte[] message, String domain, Map<String, String> txtRecords) throws IOException, InterruptedException {
        Path directory = Files.createTempDirectory("dkim-verify");
        try {
            Path messageFile = Files.write(directory.resolve("message.eml"), message);
            Path keysFile = Files.writeString(directory.resolve("keys"), txtRecords.entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining("\n", "", "\n")));
            return List.of(
                run("dkimpy", List.of("/usr/bin/python3", script(directory, "dkimpy-verify.py"), messageFile.toString(), keysFile.toString(), domain)),
                run("Mail::DKIM", List.of("/usr/bin/perl", script(directory, "maildkim-verify.pl"), messageFile.toString(), keysFile.toString(), domain)));
        } finally {
            try (var files = Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static Result run(String verifier, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(verifier + " did not finish within 60 s");
        }
        return new Result(verifier, process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** Copies the script out of the classpath (it may be inside a jar). */
    private static String script(Path directory, String name) throws IOException {
        try (var in = IndependentVerifiers.class.getResourceAsStream("/verifiers/" + name)) {
            Path script = directory.resolve(name);
            Files.copy(in, script);
            return script.toString();
        }
    }
}
