package io.sendonly.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PinnedTlsTest {
    @TempDir
    Path directory;

    @Test
    void trustingShouldNameAKeystoreItCannotRead() throws Exception {
        Path keystore = Files.writeString(directory.resolve("webadmin.p12"), "not a keystore");

        assertThatThrownBy(() -> PinnedTls.trusting(keystore, "changeit"))
            .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.exitCode()).isEqualTo(CliException.EX_CONFIG))
            .hasMessageStartingWith("cannot read webadmin's https.keystore " + keystore);
    }
}
