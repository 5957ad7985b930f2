package io.sendonly.server.docker;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sendonly.server.testing.Prerequisites;

/**
 * Rootful podman as this kind of machine runs it: runc, cgroupfs, explicit ulimits (the defaults exceed the hard
 * limits) and the host's network. Every call is bounded in time; a failed one throws with podman's output.
 */
final class Podman {
    /** Set by the {@code container} Maven profile (.ci/run): the container tests run, a missing podman fails them. */
    static final String PROFILE_PROPERTY = "sendonly.container";
    static final Path EXECUTABLE = Path.of("/usr/bin/podman");
    /** For {@code run} and {@code build}: their RUN steps are containers too. */
    static final List<String> CONTAINER_FLAGS = List.of(
        "--ulimit", "nofile=20000:20000", "--ulimit", "nproc=4096:4096", "--network=host");
    private static final List<String> GLOBAL_FLAGS = List.of("--runtime", "runc", "--cgroup-manager=cgroupfs");

    record Result(int exitCode, String output) {
    }

    private Podman() {
    }

    /** Fails the calling test unless podman can run here: the profile that enables it promised so. */
    static void require() {
        if (!Files.isExecutable(EXECUTABLE) || !Prerequisites.isRoot()) {
            fail("-Pcontainer needs root and " + EXECUTABLE + " (apt-get install podman runc mmdebstrap; .ci/run does)");
        }
    }

    /** Runs {@code podman ARGS}; throws unless it exits 0 within {@code timeout}. */
    static String call(Duration timeout, List<String> arguments) throws IOException, InterruptedException {
        Result result = attempt(timeout, arguments);
        if (result.exitCode() != 0) {
            throw new IllegalStateException("podman " + String.join(" ", arguments) + " exited with " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }

    static String call(Duration timeout, String... arguments) throws IOException, InterruptedException {
        return call(timeout, List.of(arguments));
    }

    /** Runs {@code podman ARGS} and gives its exit code and output (stderr included); throws if it outlasts {@code timeout}. */
    static Result attempt(Duration timeout, List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(EXECUTABLE.toString()));
        command.addAll(GLOBAL_FLAGS);
        command.addAll(arguments);
        return bounded(new ProcessBuilder(command), timeout);
    }

    /** Runs a command to its end, its output read as it comes (a full pipe would stall it); killed after {@code timeout}. */
    static Result bounded(ProcessBuilder builder, Duration timeout) throws IOException, InterruptedException {
        Path output = Files.createTempFile("podman", ".out");
        try {
            Process process = builder.redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException(String.join(" ", builder.command()) + " did not finish within " + timeout + ":\n"
                    + Files.readString(output, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } finally {
            Files.delete(output);
        }
    }

    static boolean imageExists(String image) throws IOException, InterruptedException {
        return attempt(Duration.ofSeconds(30), List.of("image", "exists", image)).exitCode() == 0;
    }
}
