package io.sendonly.server.webadmin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OperatorTokenTest {
    @TempDir
    Path home;

    @Test
    void loadOrCreateShouldMakeARandomTokenOnlyTheOwnerCanReadInAFolderOnlyTheOwnerCanEnter() throws Exception {
        Path file = home.resolve(OperatorToken.FILE);

        OperatorToken token = OperatorToken.loadOrCreate(file);

        String written = Files.readString(file).trim();
        assertThat(written).hasSizeGreaterThanOrEqualTo(32).matches("[A-Za-z0-9_-]+");
        assertThat(token.matches(written)).isTrue();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void loadOrCreateShouldKeepAnExistingToken() throws Exception {
        Path file = home.resolve(OperatorToken.FILE);
        OperatorToken.loadOrCreate(file);
        String first = Files.readString(file);

        OperatorToken again = OperatorToken.loadOrCreate(file);

        assertThat(Files.readString(file)).isEqualTo(first);
        assertThat(again.matches(first.trim())).isTrue();
    }

    @Test
    void twoFirstStartsShouldMakeDifferentTokens() throws Exception {
        OperatorToken.loadOrCreate(home.resolve("a/token"));
        OperatorToken.loadOrCreate(home.resolve("b/token"));

        assertThat(Files.readString(home.resolve("a/token"))).isNotEqualTo(Files.readString(home.resolve("b/token")));
    }

    @Test
    void matchesShouldRefuseAnyOtherString() throws Exception {
        Path file = home.resolve("token");
        Files.writeString(file, "a".repeat(40) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        OperatorToken token = OperatorToken.loadOrCreate(file);

        assertThat(token.matches("a".repeat(40))).isTrue();
        assertThat(token.matches("a".repeat(39))).isFalse();
        assertThat(token.matches("a".repeat(41))).isFalse();
        assertThat(token.matches("")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r-----", "rw----r--", "rw-rw-rw-"})
    void loadOrCreateShouldRefuseATokenOthersCanRead(String mode) throws Exception {
        Path file = home.resolve("token");
        Files.writeString(file, "a".repeat(40));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));

        assertThatThrownBy(() -> OperatorToken.loadOrCreate(file))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage(file + ": the webadmin token is readable by other users (mode " + mode + "): chmod 600 " + file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"short", "a-token-with a space in its middle-padding", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"})
    void loadOrCreateShouldRefuseATokenTooShortOrNotPrintable(String content) throws Exception {
        Path file = home.resolve("token");
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> OperatorToken.loadOrCreate(file))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("expected a token of at least 32 printable characters");
    }
}
