package io.sendonly.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sendonly.config.TableReference;
import io.sendonly.dkim.DkimTablesEditor.Key;
import io.sendonly.dkim.DkimTablesEditor.Signing;

/** KeyTable and SigningTable, edited and written back as SignDkim reads them. */
class DkimTablesEditorTest {
    @TempDir
    Path directory;
    private DkimTablesEditor editor;

    @BeforeEach
    void setUp() throws Exception {
        Files.write(directory.resolve("KeyTable"), List.of("# OpenDKIM KeyTable", "example-key   example.com:mail:keys/mail.private",
            "any-domain    %:s2026:keys/shared.private   # '%' is the signed domain"));
        Files.createDirectories(directory.resolve("keys"));
        TestKeys.write(directory.resolve("keys/mail.private"), TestKeys.ed25519().getPrivate(), "rw-------");
        TestKeys.write(directory.resolve("keys/shared.private"), TestKeys.ed25519().getPrivate(), "rw-------");
        Files.write(directory.resolve("SigningTable"), List.of("# first wins", "*@example.com example-key  # main", "", "*@example.net any-domain"));
        editor = new DkimTablesEditor(directory.resolve("KeyTable"), TableReference.parse("refile:" + directory.resolve("SigningTable")));
    }

    @Test
    void unchangedTablesShouldBeWrittenBackByteForByte() throws IOException {
        String keyTable = Files.readString(directory.resolve("KeyTable"));
        String signingTable = Files.readString(directory.resolve("SigningTable"));

        editor.keyTable().write(editor.keyTable().table());
        editor.signingTable().write(editor.signingTable().table());

        assertThat(Files.readString(directory.resolve("KeyTable"))).isEqualTo(keyTable);
        assertThat(Files.readString(directory.resolve("SigningTable"))).isEqualTo(signingTable);
        assertThat(editor.keyTable().table().entries()).containsExactly(
            new Key("example-key", "example.com", "mail", "keys/mail.private"),
            new Key("any-domain", "%", "s2026", "keys/shared.private"));
    }

    @Test
    void rotationShouldRewriteOnlyThePatternsEntriesAndKeepComments() throws IOException {
        editor.signingTable().write(editor.signingTable().table()
            .replaceAll(entry -> entry.pattern().equals("*@example.net") ? new Signing(entry.pattern(), "example-key") : entry));

        assertThat(Files.readAllLines(directory.resolve("SigningTable")))
            .containsExactly("# first wins", "*@example.com example-key  # main", "", "*@example.net example-key");
    }

    @Test
    void anEntryNamingAKeyNotInTheKeyTableShouldNotBeWritten() throws IOException {
        String before = Files.readString(directory.resolve("SigningTable"));

        assertThatThrownBy(() -> editor.signingTable().write(editor.signingTable().table().insert(0, new Signing("*@example.org", "missing"))))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("key: " + directory.resolve("SigningTable") + ":2: key name 'missing' is not in the KeyTable");
        assertThat(Files.readString(directory.resolve("SigningTable"))).isEqualTo(before);
    }

    @Test
    void aKeyTheSigningTableUsesShouldNotBeRemoved() {
        assertThatThrownBy(() -> editor.keyTable().write(editor.keyTable().table().removeIf(key -> key.name().equals("any-domain"))))
            .hasMessageStartingWith("name: ").hasMessageEndingWith("key name 'any-domain' is not in the KeyTable");
    }

    @Test
    void aDuplicateKeyNameShouldNotBeWritten() {
        assertThatThrownBy(() -> editor.keyTable().write(editor.keyTable().table().add(new Key("example-key", "example.org", "s", "keys/s.private"))))
            .hasMessageStartingWith("name: ").hasMessageContaining("is already defined");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "*@a.com\n* x", "*@a.com\r", "*@a\t.com", "*@a.com\0", "*@a.com #x", "a b", "*@\u2028a.com"})
    void hostilePatternsShouldBeRefusedNamingTheField(String pattern) {
        assertThatThrownBy(() -> editor.signingTable().table().add(new Signing(pattern, "example-key")))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("pattern: ");
    }

    @Test
    void everyKeyFieldShouldBeChecked() {
        assertThatThrownBy(() -> editor.keyTable().table().add(new Key("n\n", "example.org", "s", "k"))).hasMessageStartingWith("name: ");
        assertThatThrownBy(() -> editor.keyTable().table().add(new Key("n", "example.org:x", "s", "k"))).hasMessageStartingWith("domain: ");
        assertThatThrownBy(() -> editor.keyTable().table().add(new Key("n", "example.org", "s\r", "k"))).hasMessageStartingWith("selector: ");
        assertThatThrownBy(() -> editor.keyTable().table().add(new Key("n", "example.org", "s", ""))).hasMessageStartingWith("keyPath: ");
        assertThatThrownBy(() -> editor.signingTable().table().add(new Signing("*@a.com", "k\t"))).hasMessageStartingWith("key: ");
    }

    @Test
    void aNewKeyShouldReadBackAsWritten() throws Exception {
        Key key = new Key("s._domainkey.exämple.org", "exämple.org", "s", "keys/exämple.org/s.private");
        Files.createDirectories(directory.resolve("keys/exämple.org"));
        TestKeys.write(directory.resolve(key.keyPath()), TestKeys.ed25519().getPrivate(), "rw-------");

        editor.keyTable().write(editor.keyTable().table().add(key));

        assertThat(editor.keyTable().table().entries()).endsWith(key);
        assertThat(KeyTable.parse(Files.readAllLines(directory.resolve("KeyTable")), "KeyTable").get(key.name())).isPresent();
    }

    @Test
    void aKeyStartUpWouldRefuseShouldNotBeWritten() throws Exception {
        String before = Files.readString(directory.resolve("KeyTable"));
        TestKeys.write(directory.resolve("keys/open.private"), TestKeys.ed25519().getPrivate(), "rw-r--r--");

        assertThatThrownBy(() -> editor.keyTable().write(editor.keyTable().table().add(new Key("missing", "example.org", "s", "keys/none.private"))))
            .hasMessageStartingWith("name: ").hasMessageEndingWith("no such file");
        assertThatThrownBy(() -> editor.keyTable().write(editor.keyTable().table().add(new Key("open", "example.org", "s", "keys/open.private"))))
            .hasMessageStartingWith("name: ").hasMessageContaining("readable by everyone");
        assertThat(Files.readString(directory.resolve("KeyTable"))).isEqualTo(before);
    }
}
