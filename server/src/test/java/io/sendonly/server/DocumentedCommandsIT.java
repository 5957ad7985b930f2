package io.sendonly.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.ConfFile;
import io.sendonly.server.testing.Distribution;
import io.sendonly.server.testing.DocumentedCommands;
import io.sendonly.server.testing.Prerequisites;
import io.sendonly.server.testing.SmtpSink;

/**
 * Documentation that cannot drift: every curl and bin/ command of README.md and docs/*.md runs, as written and in
 * page order, in the distribution's folder against the started distribution, and must succeed (curl with
 * {@code --fail-with-body}: an HTTP error fails the command). Only the webadmin port is changed.
 */
class DocumentedCommandsIT {
    private static final Path PROJECT = Paths.get(System.getProperty("user.dir")).getParent();

    @RegisterExtension
    final Closer closer = new Closer();

    @TempDir
    Path directory;

    @Test
    void everyDocumentedCommandShouldSucceedAgainstTheRunningServer() throws Exception {
        Path curl = Stream.of("/usr/bin/curl", "/bin/curl").map(Paths::get).filter(Files::isExecutable).findFirst().orElse(null);
        Prerequisites.require(curl != null, "the documented commands need curl");
        SmtpSink sink = closer.register(SmtpSink.start(InetAddress.getLoopbackAddress(), 0));
        Distribution distribution = closer.register(Distribution.copyTo(directory.resolve("james-sendonly")));
        ConfFile.write(distribution.conf("routes"), "default [127.0.0.1]:" + sink.port() + "\n");
        distribution.start();
        awaitWebAdmin(distribution);
        Path wrappers = Files.createDirectories(directory.resolve("wrappers"));
        Path wrapper = wrappers.resolve("curl");
        Files.writeString(wrapper, "#!/bin/sh\nexec " + curl + " --fail-with-body -sS --max-time 60 \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));

        List<String> failures = new ArrayList<>();
        int run = 0;
        for (Path page : pages()) {
            for (DocumentedCommands.Command command : DocumentedCommands.in(Files.readString(page))) {
                String text = command.text().replace("127.0.0.1:8000", "127.0.0.1:" + distribution.webAdminPort());
                ProcessBuilder builder = new ProcessBuilder("bash", "-o", "pipefail", "-c", text)
                    .directory(distribution.home().toFile()).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                    .redirectOutput(directory.resolve("output").toFile());
                builder.environment().put("PATH", wrappers + File.pathSeparator + System.getenv("PATH"));
                Process process = builder.start();
                boolean ended = process.waitFor(120, TimeUnit.SECONDS);
                if (!ended) {
                    process.destroyForcibly();
                }
                run++;
                if (!ended || process.exitValue() != 0) {
                    failures.add(PROJECT.relativize(page) + " " + command + "\n  exit " + (ended ? process.exitValue() : "timeout")
                        + ": " + Files.readString(directory.resolve("output"), StandardCharsets.UTF_8).strip());
                }
            }
        }

        assertThat(run).isGreaterThan(20);
        assertThat(failures).as(distribution.log()).isEmpty();
    }

    /** start() returns once SMTP accepts; webadmin opens a moment later, and a page may begin with a curl line. */
    private static void awaitWebAdmin(Distribution distribution) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!Distribution.accepts(distribution.webAdminPort())) {
            assertThat(Instant.now()).as("webadmin accepts on port %d within 30 s", distribution.webAdminPort()).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    private static List<Path> pages() throws Exception {
        List<Path> pages = new ArrayList<>(List.of(PROJECT.resolve("README.md")));
        Path docs = PROJECT.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> files = Files.list(docs)) {
                files.filter(file -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
            }
        }
        return pages;
    }
}
