package io.sendonly.server.pickup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sendonly.server.testing.Prerequisites;

class MaildropFolderTest {
    @TempDir
    Path var;

    @Test
    void missingFolderShouldBeMadeWithMode1730() throws Exception {
        Path maildrop = var.resolve("maildrop");

        MaildropFolder.prepare(maildrop);

        assertThat(mode(maildrop)).isEqualTo(01730);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {01730, 0700, 01710, 0710})
    void folderNoOtherUserCanReadShouldPass(int mode) throws Exception {
        Path maildrop = folderWithMode(mode);

        MaildropFolder.prepare(maildrop);

        assertThat(mode(maildrop)).isEqualTo(mode);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {0730, 0770, 0750, 0701, 0733, 01733, 01770, 0777, 01777})
    void folderOthersCouldReadOrEmptyOrGroupCouldDeleteInShouldBeRefused(int mode) throws Exception {
        Path maildrop = folderWithMode(mode);

        assertThatThrownBy(() -> MaildropFolder.prepare(maildrop))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("has mode " + Integer.toOctalString(mode))
            .hasMessageContaining("chmod 1730 " + maildrop);
    }

    @Test
    void linkShouldBeRefused() throws Exception {
        Path real = folderWithMode(01730);
        Path link = Files.createSymbolicLink(var.resolve("link"), real);

        assertThatThrownBy(() -> MaildropFolder.prepare(link)).isInstanceOf(IllegalStateException.class).hasMessageContaining("not a folder");
    }

    @Test
    void folderOfAnotherOwnerShouldBeRefused() throws Exception {
        Prerequisites.require(Prerequisites.isRoot(), "only root can give a folder away");
        Path maildrop = folderWithMode(01730);
        Files.setAttribute(maildrop, "unix:uid", 12345);

        assertThatThrownBy(() -> MaildropFolder.prepare(maildrop)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("owned by uid 12345, not by this server (uid 0)");
    }

    private Path folderWithMode(int mode) throws Exception {
        Path maildrop = Files.createDirectory(var.resolve("maildrop"));
        Files.setAttribute(maildrop, "unix:mode", mode);
        return maildrop;
    }

    private static int mode(Path folder) throws Exception {
        return (Integer) Files.getAttribute(folder, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }
}
