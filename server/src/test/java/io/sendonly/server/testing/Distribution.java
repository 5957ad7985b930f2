package io.sendonly.server.testing;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The assembled distribution (built by {@code mvn package}), copied to a temporary folder and run as a separate
 * process through its {@code bin/james-sendonly} script, on free loopback ports.
 */
public final class Distribution implements AutoCloseable {
    private final Path home;
    private final int smtpPort;
    private final int webAdminPort;
    private Process process;

    private Distribution(Path home, int smtpPort, int webAdminPort) {
        this.home = home;
        this.smtpPort = smtpPort;
        this.webAdminPort = webAdminPort;
    }

    /** The distribution folder as {@code mvn package} assembled it; read it, never run it in place. */
    public static Path built() {
        String built = System.getProperty("sendonly.distribution");
        if (built == null) {
            throw new IllegalStateException("sendonly.distribution is not set: run through Maven failsafe (mvn verify)");
        }
        return Paths.get(built);
    }

    public static Distribution copyTo(Path target) throws IOException {
        copyBuilt(built(), target);
        Distribution distribution = new Distribution(target, freePort(), freePort());
        ConfFile.of(distribution.conf("smtpserver.xml")).set("/smtpservers/smtpserver/bind", "127.0.0.1:" + distribution.smtpPort).save();
        String webadmin = Files.readString(distribution.conf("webadmin.properties")).replace("port=8000", "port=" + distribution.webAdminPort);
        Files.writeString(distribution.conf("webadmin.properties"), webadmin);
        return distribution;
    }

    /** The distribution copied as built, no port changed: for the caller to configure (e.g. the Docker entrypoint). */
    public static Distribution pristineCopyTo(Path target, int smtpPort, int webAdminPort) throws IOException {
        copyBuilt(built(), target);
        return new Distribution(target, smtpPort, webAdminPort);
    }

    /**
     * Replaces this copy's conf/ by a link to {@code primary}'s, as two machines mount one shared folder: both then
     * read and write the same files. The two listen on the ports each was given, through the environment that
     * {@link #start(String, Map)} passes and the shared files name ({@code ${env:...}}).
     */
    public void shareConfOf(Distribution primary) throws IOException {
        Path conf = home.resolve("conf");
        try (Stream<Path> paths = Files.walk(conf)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        }
        Files.createSymbolicLink(conf, primary.home.resolve("conf"));
    }

    public Path home() {
        return home;
    }

    public Path conf(String name) {
        return home.resolve("conf").resolve(name);
    }

    public int smtpPort() {
        return smtpPort;
    }

    /** Webadmin as the operator, with the token the distribution made at its first start. */
    public WebAdmin webAdmin() {
        return WebAdmin.operator(webAdminPort, home);
    }

    public int webAdminPort() {
        return webAdminPort;
    }

    /** Starts bin/james-sendonly and waits (bounded) until SMTP accepts connections. */
    public void start() throws Exception {
        start("bin/james-sendonly", Map.of());
    }

    /** Starts {@code script} of the distribution with these extra environment variables, waits until SMTP accepts. */
    public void start(String script, Map<String, String> environment) throws Exception {
        File log = home.resolve("server.log").toFile();
        ProcessBuilder builder = new ProcessBuilder(home.resolve(script).toString())
            .directory(home.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        builder.environment().putAll(environment);
        process = builder.start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("server exited with " + process.exitValue() + ":\n" + Files.readString(log.toPath()));
            }
            if (accepts(smtpPort)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("server did not open SMTP within 90 s:\n" + Files.readString(log.toPath()));
    }

    /** SIGKILL: no shutdown hook, no flush, what a power cut or OOM killer does. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** The server JVM's threads ({@code jcmd Thread.print}), for a test that failed waiting on it. */
    public String threadDump() throws IOException, InterruptedException {
        if (process == null || !process.isAlive()) {
            return "(server not running)";
        }
        Process jcmd = new ProcessBuilder("jcmd", String.valueOf(process.pid()), "Thread.print").redirectErrorStream(true).start();
        String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        return dump;
    }

    public String log() throws IOException {
        return Files.readString(home.resolve("server.log"));
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Whether something accepts TCP connections on 127.0.0.1:{@code port}. */
    public static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Copies a folder tree, file attributes (modes) kept. */
    /**
     * The built distribution without what a run left in its var/ (README's quick start runs the server there):
     * each test starts from the state a fresh install has.
     */
    private static void copyBuilt(Path built, Path target) throws IOException {
        Files.createDirectories(target);
        try (Stream<Path> paths = Files.list(built)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                if (path.getFileName().toString().equals("var")) {
                    Files.createDirectories(target.resolve("var"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    copyTree(path, target.resolve(path.getFileName().toString()));
                }
            }
        }
    }

    public static void copyTree(Path source, Path target) throws IOException {
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path destination = target.resolve(source.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(path, destination, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
