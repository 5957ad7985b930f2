package io.sendonly.server.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** A {@link SharedStoreBroker} in a JVM of its own, on the test's class path: nothing is downloaded. */
public final class BrokerProcess implements AutoCloseable {
    private final String host;
    private final int port;
    private final Path log;
    private final Process process;

    private BrokerProcess(String host, int port, Path log, Process process) {
        this.host = host;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    public static BrokerProcess start(String host, int port, Path store, String user, String password) throws IOException {
        Files.createDirectories(store);
        Path log = store.resolve("broker-" + host + "-" + port + ".log");
        String classPath = System.getProperty("java.class.path");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx256m", "-cp", classPath, SharedStoreBroker.class.getName(), host, String.valueOf(port), store.toString(), user)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("BROKER_PASSWORD", password);
        return new BrokerProcess(host, port, log, builder.start());
    }

    public String url() {
        return "tcp://" + host + ":" + port;
    }

    /** Waits (bounded) until the broker accepts connections, that is until it holds the store's lock. */
    public Instant awaitServing(Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("broker " + url() + " exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (accepts()) {
                return Instant.now();
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("broker " + url() + " not serving within " + timeout + ":\n" + Files.readString(log));
    }

    public boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** SIGKILL: the store's lock goes with the process, as when a machine dies. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
