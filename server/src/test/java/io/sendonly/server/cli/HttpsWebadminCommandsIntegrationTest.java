package io.sendonly.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.server.testing.Closer;
import io.sendonly.server.testing.OperatorCommands;
import io.sendonly.server.testing.OperatorCommands.Result;
import io.sendonly.server.testing.TestServer;

/** Webadmin over https with its own self-signed certificate, for another name than 127.0.0.1: the commands trust it. */
class HttpsWebadminCommandsIntegrationTest {
    @TempDir
    Path workingDirectory;

    @TempDir
    Path keys;

    @RegisterExtension
    final Closer closer = new Closer();

    @Test
    void commandsShouldTrustTheCertificateOfWebadminsOwnKeystore() throws Exception {
        Path keystore = keys.resolve("webadmin.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", "changeit",
            "-alias", "webadmin", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=mail.example.com", "-validity", "2")
            .inheritIO().start();
        assertThat(keytool.waitFor()).isZero();
        TestServer server = closer.register(TestServer.prepare(workingDirectory)
            .replaceInConf("webadmin.properties", "enabled=true", "enabled=true\nhttps.enabled=true\nhttps.keystore="
                + keystore + "\nhttps.password=changeit")
            .start());

        Result networks = OperatorCommands.of(server).run("sendonly", "networks", "list");

        assertThat(networks.err()).isEmpty();
        assertThat(networks.exitCode()).isZero();
        assertThat(networks.out()).isEqualTo("127.0.0.0/8\n::1/128\n");
    }
}
