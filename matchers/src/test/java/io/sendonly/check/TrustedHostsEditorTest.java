package io.sendonly.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sendonly.config.TableEditor;

class TrustedHostsEditorTest {
    private static final List<String> FILE = List.of("# clients relaying without AUTH", "127.0.0.0/8", "::1/128   # loopback", "", "!127.0.0.2");

    @TempDir
    Path directory;
    private Path file;
    private TableEditor<String> editor;

    @BeforeEach
    void setUp() throws Exception {
        file = directory.resolve("TrustedHosts");
        Files.write(file, FILE);
        editor = TrustedHostsEditor.open(file);
    }

    @Test
    void editsShouldKeepCommentsAndReadBackAsWritten() throws Exception {
        editor.write(editor.table().add("172.18.0.0/16").removeIf("127.0.0.0/8"::equals));

        assertThat(Files.readAllLines(file)).containsExactly("# clients relaying without AUTH", "::1/128   # loopback", "", "!127.0.0.2", "172.18.0.0/16");
        assertThat(editor.table().entries()).containsExactly("::1/128", "!127.0.0.2", "172.18.0.0/16");
        assertThat(TrustedNetworks.load(file).isTrusted("172.18.3.4")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1\n0.0.0.0/0", "10.0.0.1\r", "10.0.0.1\t", "10.0.0.1\0", "10.0.0.0/8 #", "10.0.0.0 /8", ""})
    void hostileValuesShouldBeRefusedNamingTheField(String network) {
        assertThatThrownBy(() -> editor.table().add(network)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("network: ");
    }

    @Test
    void whatTheServerCannotReadShouldNotBeWritten() throws Exception {
        assertThatThrownBy(() -> editor.write(editor.table().add("10.0.0.0/33")))
            .hasMessage("network: " + file + ":6: '10.0.0.0/33' has an invalid prefix length: expected 0 to 32");
        assertThat(Files.readAllLines(file)).isEqualTo(FILE);
    }
}
