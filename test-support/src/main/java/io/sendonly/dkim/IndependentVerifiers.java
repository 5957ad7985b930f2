package io.sendonly.dkim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Verifies DKIM signatures with implementations that share no code with ours, the DNS answers given as
 * {@code selector._domainkey.domain → TXT}: Apache jDKIM in the JVM, always; with the {@link DebianTools} promised,
 * first Debian's python3-dkim (dkimpy, the only one that judges ed25519-sha256) and libmail-dkim-perl (Mail::DKIM).
 */
public final class IndependentVerifiers {
    /** Exit code of the scripts when their library is not installed. */
    private static final int NOT_INSTALLED = 3;

    public record Result(String verifier, int exitCode, String output) {
        public static final int PASS = 0;
        public static final int FAIL = 1;
        public static final int NOT_JUDGED = 2;

        public boolean passed() {
            return exitCode == PASS;
        }

        /** The verifier supports none of the algorithms signed with (Mail::DKIM and jDKIM: ed25519-sha256). */
        public boolean couldNotJudge() {
            return exitCode == NOT_JUDGED;
        }
    }

    private IndependentVerifiers() {
    }

    /** Verifies the signatures made for {@code domain}; others (an upstream signer's) are ignored. */
    public static List<Result> verify(byte[] message, String domain, Map<String, String> txtRecords) throws IOException, InterruptedException {
        Result jdkim = JdkimVerifier.verify(message, domain, txtRecords);
        if (!DebianTools.promised()) {
            return List.of(jdkim);
        }
        Path directory = Files.createTempDirectory("dkim-verify");
        try {
            Path messageFile = Files.write(directory.resolve("message.eml"), message);
            Path keysFile = Files.writeString(directory.resolve("keys"), txtRecords.entrySet().stream()
                .map(entry -> entry.getKey() + " " + entry.getValue()).collect(Collectors.joining("\n", "", "\n")));
            List<String> arguments = List.of(messageFile.toString(), keysFile.toString(), domain);
            return List.of(
                run("dkimpy", "/usr/bin/python3", script(directory, "dkimpy-verify.py"), arguments),
                run("Mail::DKIM", "/usr/bin/perl", script(directory, "maildkim-verify.pl"), arguments),
                jdkim);
        } finally {
            try (var files = Files.walk(directory)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    /**
     * Every verdict given is a pass, and there is one. Only dkimpy judges ed25519-sha256: for a message signed with
     * nothing else there is no verdict without the Debian tools, and the test is skipped.
     */
    public static void assertVerified(List<Result> results, String context) {
        for (Result result : results) {
            assertTrue(result.passed() || result.couldNotJudge(), () -> result.verifier() + " on\n" + context + "\n" + result.output());
        }
        DebianTools.require(results.stream().anyMatch(Result::passed), "only dkimpy (python3-dkim) judges ed25519-sha256 signatures");
    }

    private static Result run(String verifier, String interpreter, String script, List<String> arguments) throws IOException, InterruptedException {
        DebianTools.require(Files.isExecutable(Path.of(interpreter)), verifier + " cannot run: " + interpreter + " is missing");
        Process process = new ProcessBuilder(Stream.concat(Stream.of(interpreter, script), arguments.stream()).toList()).redirectErrorStream(true).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(verifier + " did not finish within 60 s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        DebianTools.require(process.exitValue() != NOT_INSTALLED, output.strip());
        return new Result(verifier, process.exitValue(), output);
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
