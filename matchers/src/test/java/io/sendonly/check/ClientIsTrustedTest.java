package io.sendonly.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMatcherConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientIsTrustedTest {
    @TempDir
    Path directory;

    @Test
    void matchShouldReturnAllRecipientsOfATrustedClient() throws Exception {
        ClientIsTrusted matcher = matcher("10.1.0.0/16\n");

        assertThat(matcher.match(mailFrom("10.1.2.3"))).containsExactly(new MailAddress("user@example.net"));
    }

    @Test
    void matchShouldReturnNoRecipientOfAnUntrustedClient() throws Exception {
        ClientIsTrusted matcher = matcher("10.1.0.0/16\n");

        assertThat(matcher.match(mailFrom("10.2.0.1"))).isEmpty();
    }

    @Test
    void matchShouldTrustAnAuthenticatedClientFromAnywhere() throws Exception {
        ClientIsTrusted matcher = matcher("10.1.0.0/16\n");
        FakeMail mail = mailFrom("203.0.113.7");
        mail.setAttribute(new Attribute(Mail.SMTP_AUTH_USER, AttributeValue.of("webapp")));

        assertThat(matcher.match(mail)).containsExactly(new MailAddress("user@example.net"));
    }

    @Test
    void matchShouldTrustALocalSubmissionWhateverItsAddress() throws Exception {
        ClientIsTrusted matcher = matcher("10.1.0.0/16\n");
        FakeMail mail = mailFrom("0.0.0.0");
        mail.setAttribute(new Attribute(ClientIsTrusted.LOCAL_SUBMITTER, AttributeValue.of(33)));

        assertThat(matcher.match(mail)).containsExactly(new MailAddress("user@example.net"));
    }

    @Test
    void aReplacedFileShouldApplyAtOnceAndABadOneShouldKeepTheNetworksInForce() throws Exception {
        ClientIsTrusted matcher = matcher("10.1.0.0/16\n");

        replace("192.168.0.0/16\n");
        assertThat(matcher.match(mailFrom("192.168.4.5"))).hasSize(1);
        assertThat(matcher.match(mailFrom("10.1.2.3"))).isEmpty();

        replace("192.168.0.0/33\n");
        assertThat(matcher.match(mailFrom("192.168.4.5"))).as("the last good networks stay").hasSize(1);
    }

    /** As webadmin writes it: a new file renamed over the old one. */
    private void replace(String trustedHosts) throws Exception {
        Path temporary = Files.writeString(directory.resolve("TrustedHosts.tmp"), trustedHosts);
        Files.move(temporary, directory.resolve("TrustedHosts"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void withoutConditionLoopbackShouldBeTrusted() throws Exception {
        ClientIsTrusted matcher = new ClientIsTrusted(new DirectoryFileSystem(directory));
        matcher.init(FakeMatcherConfig.builder().matcherName("ClientIsTrusted").build());

        assertThat(matcher.match(mailFrom("127.0.0.1"))).hasSize(1);
        assertThat(matcher.match(mailFrom("10.1.2.3"))).isEmpty();
    }

    @Test
    void initShouldFailNamingTheBadLine() throws Exception {
        Files.writeString(directory.resolve("TrustedHosts"), "127.0.0.1\n10.0.0.0/40\n");
        ClientIsTrusted matcher = new ClientIsTrusted(new DirectoryFileSystem(directory));

        assertThatThrownBy(() -> matcher.init(FakeMatcherConfig.builder()
                .matcherName("ClientIsTrusted").condition("file://conf/TrustedHosts").build()))
            .isInstanceOf(MessagingException.class)
            .hasMessageContaining("TrustedHosts:2:");
    }

    private ClientIsTrusted matcher(String trustedHosts) throws Exception {
        Files.writeString(directory.resolve("TrustedHosts"), trustedHosts);
        ClientIsTrusted matcher = new ClientIsTrusted(new DirectoryFileSystem(directory));
        matcher.init(FakeMatcherConfig.builder().matcherName("ClientIsTrusted").condition("file://conf/TrustedHosts").build());
        return matcher;
    }

    private static FakeMail mailFrom(String remoteAddress) throws MessagingException {
        return FakeMail.builder().name("mail").recipient("user@example.net").remoteAddr(remoteAddress).build();
    }

    /** Resolves every {@code file://conf/NAME} to NAME inside one directory. */
    static final class DirectoryFileSystem implements FileSystem {
        private final Path directory;

        DirectoryFileSystem(Path directory) {
            this.directory = directory;
        }

        @Override
        public InputStream getResource(String url) {
            throw new UnsupportedOperationException("not needed by these tests");
        }

        @Override
        public File getFile(String fileURL) {
            return directory.resolve(Path.of(fileURL.substring(fileURL.lastIndexOf('/') + 1))).toFile();
        }

        @Override
        public File getBasedir() {
            return directory.toFile();
        }
    }
}
