package io.sendonly.qualify;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.core.builder.MimeMessageBuilder;
import org.apache.james.domainlist.api.DomainList;
import org.apache.mailet.base.test.FakeMail;
import org.apache.mailet.base.test.FakeMailetConfig;
import org.junit.jupiter.api.Test;

class QualifyAndAliasTest {
    /** Only getDefaultDomain() is used by these mailets. */
    private static final DomainList DOMAINS = (DomainList) Proxy.newProxyInstance(DomainList.class.getClassLoader(),
        new Class<?>[] {DomainList.class}, (proxy, method, args) -> {
            if (method.getName().equals("getDefaultDomain")) {
                return Domain.of("example.com");
            }
            throw new UnsupportedOperationException(method.getName());
        });

    @Test
    void bareFromAndToShouldGetTheDefaultDomain() throws Exception {
        FakeMail mail = mail(MimeMessageBuilder.mimeMessageBuilder()
            .addHeader("From", "www-data").addHeader("To", "Root <root>, user@example.net").setSubject("cron").setText("x").build());

        qualifier().service(mail);

        assertThat(mail.getMessage().getHeader("From")).containsExactly("www-data@example.com");
        assertThat(mail.getMessage().getHeader("To")).containsExactly("Root <root@example.com>, user@example.net");
    }

    @Test
    void qualifiedHeadersShouldBeLeftUntouched() throws Exception {
        FakeMail mail = mail(MimeMessageBuilder.mimeMessageBuilder()
            .addHeader("From", "\"App\"   <app@example.org>").setSubject("x").setText("x").build());

        qualifier().service(mail);

        assertThat(mail.getMessage().getHeader("From")).containsExactly("\"App\"   <app@example.org>");
    }

    @Test
    void configuredDefaultDomainShouldWin() throws Exception {
        QualifyBareAddresses mailet = new QualifyBareAddresses(DOMAINS);
        mailet.init(FakeMailetConfig.builder().mailetName("Qualify").setProperty(QualifyBareAddresses.DEFAULT_DOMAIN, "apps.example.org").build());
        FakeMail mail = mail(MimeMessageBuilder.mimeMessageBuilder().addHeader("Reply-To", "support").setSubject("x").setText("x").build());

        mailet.service(mail);

        assertThat(mail.getMessage().getHeader("Reply-To")).containsExactly("support@apps.example.org");
    }

    @Test
    void systemAccountsShouldGoToTheAdminAddress() throws Exception {
        AliasSystemAccounts mailet = new AliasSystemAccounts(DOMAINS);
        mailet.init(FakeMailetConfig.builder().mailetName("Alias").setProperty(AliasSystemAccounts.ADMIN_ADDRESS, "ops@example.org").build());
        FakeMail mail = FakeMail.builder().name("m").mimeMessage(MimeMessageBuilder.mimeMessageBuilder().setText("x").build())
            .recipients("root@example.com", "MAILER-DAEMON@localhost", "abuse@example.com", "user@example.net", "root@other.test").build();

        mailet.service(mail);

        assertThat(mail.getRecipients()).containsExactly(new MailAddress("ops@example.org"), new MailAddress("user@example.net"),
            new MailAddress("root@other.test"));
    }

    private static QualifyBareAddresses qualifier() throws MessagingException {
        QualifyBareAddresses mailet = new QualifyBareAddresses(DOMAINS);
        mailet.init(FakeMailetConfig.builder().mailetName("Qualify").build());
        return mailet;
    }

    private static FakeMail mail(MimeMessage message) throws MessagingException {
        return FakeMail.builder().name("m").mimeMessage(message).sender("www-data@example.com").recipient("user@example.net").build();
    }
}
