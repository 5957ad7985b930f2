package io.sendonly.server.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.james.core.Username;
import org.apache.james.user.api.InvalidUsernameException;
import org.apache.james.user.lib.model.Algorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileUsersDAOTest {
    private static final Algorithm ALGORITHM = Algorithm.of("PBKDF2-SHA512", Algorithm.HashingMode.SALTED);

    @TempDir
    Path directory;

    @Test
    void usersShouldReadBackAfterRestart() throws Exception {
        Path file = directory.resolve("users/passwd");
        FileUsersDAO dao = new FileUsersDAO(file, ALGORITHM);
        dao.addUser(Username.of("webapp"), "a long secret");
        dao.addUser(Username.of("ünïcode@example.com"), "another secret");

        FileUsersDAO reloaded = new FileUsersDAO(file, ALGORITHM);

        assertThat(reloaded.list()).toIterable().containsExactly(Username.of("webapp"), Username.of("ünïcode@example.com"));
        assertThat(reloaded.getUserByName(Username.of("webapp")).orElseThrow().verifyPassword("a long secret")).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"tab\tuser", "cr\ruser", "lf\nuser", "nul\0user", "space user", "del\u007fuser", "hash#user"})
    void namesTheFileCannotHoldShouldBeRefusedAndNothingWritten(String name) throws Exception {
        Path file = directory.resolve("passwd");
        FileUsersDAO dao = new FileUsersDAO(file, ALGORITHM);

        assertThatThrownBy(() -> dao.addUser(Username.of(name), "a long secret"))
            .isInstanceOf(InvalidUsernameException.class).hasMessageStartingWith("username: ");
        assertThat(dao.countUsers()).isZero();
        assertThat(file).doesNotExist();
    }

    @Test
    void aBadNameInTheFileShouldStopStartUpNamingFileAndLine() throws Exception {
        Path file = directory.resolve("passwd");
        Files.write(file, List.of("good\tPBKDF2-SHA512\thash", "bad\u0001name\tPBKDF2-SHA512\thash"));

        assertThatThrownBy(() -> new FileUsersDAO(file, ALGORITHM))
            .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(file + ":2: username: ");
    }
}
