package io.sendonly.server.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sendonly.server.testing.Distribution;

/**
 * One container of the image under test, run detached on the host's network, its SMTP server on a loopback port
 * the test chose; removed when closed.
 */
final class SendonlyContainer implements AutoCloseable {
    private static final Duration START = Duration.ofSeconds(120);
    private static final Duration COMMAND = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(60);

    private final String name;

    private SendonlyContainer(String name) {
        this.name = name;
    }

    /**
     * {@code podman run -d} with these environment variables and volumes (name to mount point), then waits until
     * SMTP accepts on {@code smtpPort}; throws with the container's log if it stops or does not open in time.
     */
    static SendonlyContainer start(String image, Map<String, String> environment, Map<String, String> volumes, int smtpPort)
        throws IOException, InterruptedException {
        SendonlyContainer container = new SendonlyContainer("sendonly-it-" + UUID.randomUUID());
        List<String> arguments = new ArrayList<>(List.of("run", "--detach", "--name", container.name));
        arguments.addAll(Podman.CONTAINER_FLAGS);
        environment.forEach((variable, value) -> arguments.addAll(List.of("--env", variable + "=" + value)));
        volumes.forEach((volume, mountPoint) -> arguments.addAll(List.of("--volume", volume + ":" + mountPoint)));
        arguments.add(image);
        Podman.call(COMMAND, arguments);
        try {
            container.awaitSmtp(smtpPort);
        } catch (IOException | InterruptedException | RuntimeException e) {
            container.close();
            throw e;
        }
        return container;
    }

    private void awaitSmtp(int smtpPort) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(START);
        while (Instant.now().isBefore(deadline)) {
            if (Distribution.accepts(smtpPort)) {
                return;
            }
            if (!"running".equals(Podman.call(COMMAND, "container", "inspect", "--format", "{{.State.Status}}", name).strip())) {
                throw new IllegalStateException("container " + name + " stopped:\n" + logs());
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("container " + name + " did not open SMTP on " + smtpPort + " within " + START + ":\n" + logs());
    }

    String logs() throws IOException, InterruptedException {
        return Podman.call(COMMAND, "logs", name);
    }

    /** {@code podman exec}: runs {@code command} in the container, as the image's user; throws unless it exits 0. */
    String exec(String... command) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("exec", name));
        arguments.addAll(List.of(command));
        return Podman.call(COMMAND, arguments);
    }

    /** The image's HEALTHCHECK command, run now by podman. */
    Podman.Result healthcheck() throws IOException, InterruptedException {
        return Podman.attempt(COMMAND, List.of("healthcheck", "run", name));
    }

    /** The status of the container's first process as the host sees it ({@code /proc/PID/status}). */
    String processStatus() throws IOException, InterruptedException {
        String pid = Podman.call(COMMAND, "container", "inspect", "--format", "{{.State.Pid}}", name).strip();
        return Files.readString(Path.of("/proc", pid, "status"));
    }

    /** {@code podman stop}: SIGTERM, and the server's own shutdown. */
    void stop() throws IOException, InterruptedException {
        Podman.call(STOP.plusSeconds(30), "stop", "--time", String.valueOf(STOP.toSeconds()), name);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        Podman.call(STOP.plusSeconds(30), "rm", "--force", "--ignore", "--time", String.valueOf(STOP.toSeconds()), name);
    }
}
