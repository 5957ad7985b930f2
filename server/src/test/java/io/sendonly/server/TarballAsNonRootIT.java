package io.sendonly.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.ConfFile;
import io.sendonly.server.testing.Distribution;
import io.sendonly.server.testing.Messages;
import io.sendonly.server.testing.Prerequisites;
import io.sendonly.server.testing.SmtpClient;
import io.sendonly.server.testing.SmtpSink;

/** The tarball, unpacked into an empty directory and run by an unprivileged user, starts and relays. */
class TarballAsNonRootIT {
    private static final String USER = "nobody";
    private static final String OTHER_USER = "daemon";

    @RegisterExtension
    final Closer closer = new Closer();

    private Path directory;
    private Process server;

    @AfterEach
    void tearDown() throws Exception {
        if (server != null) {
            server.descendants().forEach(ProcessHandle::destroy);
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        if (directory != null) {
            new ProcessBuilder("rm", "-rf", directory.toString()).start().waitFor();
        }
    }

    @Test
    void unpackedTarballShouldStartAndRelayAsNobody() throws Exception {
        Prerequisites.require(Prerequisites.isRoot() && Files.isExecutable(Paths.get("/usr/sbin/runuser")),
            "switching to an unprivileged user needs root and runuser");
        Path tarball = Paths.get(System.getProperty("sendonly.distribution")).getParent().resolveSibling("james-sendonly-dist.tar.gz");
        directory = Files.createTempDirectory(Paths.get("/tmp"), "tarball", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        assertThat(new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", directory.toString()).inheritIO().start().waitFor()).isZero();
        Path home = directory.resolve("james-sendonly");
        int smtpPort = Distribution.freePort();
        SmtpSink sink = closer.register(SmtpSink.start(InetAddress.getLoopbackAddress(), 0));
        ConfFile.of(home.resolve("conf/smtpserver.xml")).set("/smtpservers/smtpserver/bind", "127.0.0.1:" + smtpPort).save();
        ConfFile.write(home.resolve("conf/routes"), "default [127.0.0.1]:" + sink.port() + "\n");
        Files.writeString(home.resolve("conf/webadmin.properties"),
            Files.readString(home.resolve("conf/webadmin.properties")).replace("port=8000", "port=" + Distribution.freePort()));
        assertThat(new ProcessBuilder("chown", "-R", USER, home.toString()).inheritIO().start().waitFor()).isZero();

        server = new ProcessBuilder("/usr/sbin/runuser", "-u", USER, "--", home.resolve("bin/james-sendonly").toString())
            .redirectErrorStream(true).redirectOutput(directory.resolve("server.log").toFile()).start();
        await().atMost(Duration.ofSeconds(90)).until(() -> accepts(smtpPort) || !server.isAlive());
        assertThat(server.isAlive()).as(Files.readString(directory.resolve("server.log"))).isTrue();

        try (SmtpClient client = SmtpClient.connect(smtpPort)) {
            client.send("app@example.com", "user@example.net",
                Messages.simple(Messages.newMessageId(), "app@example.com", "user@example.net", "from a tarball", "body\r\n"));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> sink.received().size() == 1);
        assertThat(Files.getOwner(home.resolve("var/tls/keystore.p12")).getName()).isEqualTo(USER);
        assertOtherUsersCanReadNothingUnder(home.resolve("var"));
    }

    /**
     * What the server wrote (queue journal, TLS key, webadmin token) is private: umask 077 and a 0700 var/. The one
     * exception is the maildrop, 1730 as Postfix's: its group may drop files in, nobody else may list or read it.
     */
    private static void assertOtherUsersCanReadNothingUnder(Path var) throws Exception {
        try (Stream<Path> paths = Files.walk(var)) {
            List<String> open = paths.filter(path -> !isPrivate(path, var.resolve("maildrop")))
                .map(path -> path + " " + PosixFilePermissions.toString(uncheckedPermissions(path))).toList();
            assertThat(open).isEmpty();
        }
        assertThat(Files.exists(var.resolve("store"))).isTrue();
        Process other = new ProcessBuilder("/usr/sbin/runuser", "-u", OTHER_USER, "--", "find", var.toString(), "-readable")
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String readable = new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        other.waitFor(30, TimeUnit.SECONDS);
        assertThat(readable).isEmpty();
    }

    private static boolean isPrivate(Path path, Path maildrop) {
        String mode = PosixFilePermissions.toString(uncheckedPermissions(path));
        return mode.endsWith("------") || (path.equals(maildrop) && mode.substring(3).equals("-wx---"));
    }

    private static Set<PosixFilePermission> uncheckedPermissions(Path path) {
        try {
            return Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
