package io.sendonly.server.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;

/**
 * A server a test runs as a child process (dnsmasq, unbound), its output in a temporary log file: stopped by
 * {@link #close()}, or by a shutdown hook should the JVM end first (a killed test fork), so that no orphan keeps its
 * port.
 */
final class ChildDaemon implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final Thread shutdownHook;

    private ChildDaemon(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.shutdownHook = new Thread(process::destroyForcibly, "test-daemon-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** The executable on PATH, /usr/sbin or /sbin (not on a non-root user's PATH on Debian). */
    static Optional<Path> executable(String name) {
        Stream<String> path = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator));
        return Stream.concat(path, Stream.of("/usr/sbin", "/sbin", "/usr/local/sbin"))
            .filter(directory -> !directory.isEmpty())
            .map(directory -> Paths.get(directory, name))
            .filter(Files::isExecutable)
            .findFirst();
    }

    /** Starts {@code command}, its standard output and error going to a temporary log file. */
    static ChildDaemon start(List<String> command) throws IOException {
        Path log = Files.createTempFile(Paths.get(command.get(0)).getFileName() + "-", ".log");
        Process process = new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
        return new ChildDaemon(process, log);
    }

    /**
     * Waits (bounded) until {@code ready} holds; when it does not in time, or the daemon exits, closes it and throws,
     * {@link Dnsmasq.PortTakenException} when the daemon said its address is in use.
     *
     * @param portTakenHint who may hold the port, for the exception
     */
    void awaitReady(String description, Duration timeout, Callable<Boolean> ready, String portTakenHint) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(50)).until(() -> !process.isAlive() || ready.call());
        } catch (ConditionTimeoutException e) {
            String output = log();
            close();
            throw new IllegalStateException(description + " not ready within " + timeout + "\n" + output, e);
        }
        if (!process.isAlive()) {
            String output = log();
            close();
            if (output.contains("Address already in use")) {
                throw new Dnsmasq.PortTakenException(description + ": port taken, " + portTakenHint + ". "
                    + output.strip());
            }
            throw new IllegalStateException(description + " exited with " + process.exitValue() + "\n" + output);
        }
    }

    /** What the daemon wrote so far, for failure messages. */
    String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook stops the daemon
        }
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // a temporary file left behind
            }
        }
    }
}
