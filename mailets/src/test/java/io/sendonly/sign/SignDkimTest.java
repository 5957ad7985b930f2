package io.sendonly.sign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sendonly.config.TableFile;
import io.sendonly.dkim.TestKeys;
import io.sendonly.events.Events;
import io.sendonly.metrics.DeliveryMetrics;
import io.sendonly.metrics.PrometheusText;
import io.sendonly.testing.DirectoryFileSystem;

class SignDkimTest {
    @TempDir
    Path directory;

    private final DeliveryMetrics metrics = new DeliveryMetrics(new Events());

    @BeforeEach
    void writeTables() throws Exception {
        TestKeys.write(directory.resolve("mail.private"), TestKeys.rsa(2048).getPrivate(), "rw-------");
        Files.writeString(directory.resolve("KeyTable"), "k example.com:mail:mail.private\n");
        Files.writeString(directory.resolve("SigningTable"), "*@example.com k\n");
    }

    @Test
    void serviceShouldPrependOneSignatureForAFromInTheTable() throws Exception {
        SignDkim mailet = mailet(config());
        FakeMail mail = mail("app@example.com", "bounce@other.test");

        mailet.service(mail);

        String[] signatures = mail.getMessage().getHeader("DKIM-Signature");
        assertThat(signatures).hasSize(1);
        assertThat(signatures[0]).contains("d=example.com; s=mail");
        assertThat(mail.getMessage().getAllHeaderLines().nextElement()).startsWith("DKIM-Signature:");
    }

    @Test
    void aMessageThatCannotBeReadShouldFailToSignAndBeCounted() throws Exception {
        SignDkim mailet = mailet(config());
        MimeMessage unreadable = new MimeMessage(mail("app@example.com", "app@example.com").getMessage()) {
            @Override
            public void writeTo(OutputStream out) throws IOException {
                throw new IOException("disk gone");
            }
        };
        FakeMail mail = FakeMail.builder().name("mail").mimeMessage(unreadable).sender("app@example.com").recipient("user@example.net").build();

        assertThatThrownBy(() -> mailet.service(mail)).isInstanceOf(MessagingException.class);

        PrometheusText page = new PrometheusText();
        metrics.writeTo(page);
        assertThat(page.toString()).contains("\nsendonly_signing_failures_total 1\n");
    }

    @Test
    void aSignedOrUnsignedMailShouldNotCountAsASigningFailure() throws Exception {
        SignDkim mailet = mailet(config());

        mailet.service(mail("app@example.com", "app@example.com"));
        mailet.service(mail("app@other.test", "app@other.test"));

        PrometheusText page = new PrometheusText();
        metrics.writeTo(page);
        assertThat(page.toString()).contains("\nsendonly_signing_failures_total 0\n");
    }

    @Test
    void serviceShouldNotSignTwice() throws Exception {
        SignDkim mailet = mailet(config());
        FakeMail mail = mail("app@example.com", "app@example.com");

        mailet.service(mail);
        mailet.service(mail);

        assertThat(mail.getMessage().getHeader("DKIM-Signature")).hasSize(1);
    }

    @Test
    void serviceShouldLeaveUnsignedAFromWithoutEntry() throws Exception {
        SignDkim mailet = mailet(config());
        FakeMail mail = mail("app@other.test", "app@example.com");

        mailet.service(mail);

        assertThat(mail.getMessage().getHeader("DKIM-Signature")).isNull();
    }

    @Test
    void senderIdentityShouldLookUpTheEnvelopeSender() throws Exception {
        SignDkim mailet = mailet(config().setProperty(SignDkim.SIGNING_IDENTITY, "sender"));
        FakeMail mail = mail("app@other.test", "bounces@example.com");

        mailet.service(mail);

        assertThat(mail.getMessage().getHeader("DKIM-Signature")).hasSize(1);
    }

    @Test
    void aChangedSigningTableShouldApplyToTheNextMailAndABrokenOneShouldKeepTheKeysInForce() throws Exception {
        SignDkim mailet = mailet(config());

        TableFile.write(directory.resolve("SigningTable"), List.of("*@example.com k", "*@other.test k"));
        FakeMail added = mail("app@other.test", "app@other.test");
        mailet.service(added);
        assertThat(added.getMessage().getHeader("DKIM-Signature")).as("signed by the new entry").hasSize(1);

        TableFile.write(directory.resolve("SigningTable"), List.of("*@example.com missing-key"));
        FakeMail kept = mail("app@other.test", "app@other.test");
        mailet.service(kept);
        assertThat(kept.getMessage().getHeader("DKIM-Signature")).as("the last good tables stay").hasSize(1);
    }

    @Test
    void initShouldRefuseAnUnknownParameterNamingIt() {
        assertThatThrownBy(() -> mailet(config().setProperty("canonicalisation", "simple")))
            .isInstanceOf(MessagingException.class)
            .hasMessageContaining("canonicalisation");
    }

    @Test
    void initShouldRefuseABadSigningIdentity() {
        assertThatThrownBy(() -> mailet(config().setProperty(SignDkim.SIGNING_IDENTITY, "header")))
            .isInstanceOf(MessagingException.class)
            .hasMessageContaining("signingIdentity");
    }

    private FakeMailetConfig.Builder config() {
        return FakeMailetConfig.builder().mailetName("SignDkim")
            .setProperty(SignDkim.KEY_TABLE, "file://conf/KeyTable")
            .setProperty(SignDkim.SIGNING_TABLE, "refile:file://conf/SigningTable");
    }

    private SignDkim mailet(FakeMailetConfig.Builder config) throws MessagingException {
        SignDkim mailet = new SignDkim(new SigningLookups(new DirectoryFileSystem(directory)), new Events(), metrics);
        mailet.init(config.build());
        return mailet;
    }

    private static FakeMail mail(String from, String sender) throws MessagingException {
        MimeMessage message = MimeMessageBuilder.mimeMessageBuilder()
            .addFrom(from).addToRecipient("user@example.net").setSubject("hello").setText("body").build();
        return FakeMail.builder().name("mail").mimeMessage(message).sender(sender).recipient("user@example.net").build();
    }
}
