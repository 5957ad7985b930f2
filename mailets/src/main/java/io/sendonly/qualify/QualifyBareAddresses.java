package io.sendonly.qualify;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeUtility;

import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives bare local parts in the address headers the default domain, as nullmailer's {@code defaultdomain} and
 * Postfix's {@code myorigin} do: {@code From: www-data} leaves as {@code From: www-data@example.com}. PHP's mail()
 * and cron send such addresses; receivers reject them. Headers without a bare address are left byte for byte.
 * (James's SMTP server already qualifies the envelope with the same default domain.) Place it before SignDkim.
 *
 * <pre>{@code
 * <mailet match="All" class="io.sendonly.qualify.QualifyBareAddresses">
 *     <defaultDomain>example.com</defaultDomain>  <!-- optional: domainlist.xml's defaultDomain -->
 * </mailet>
 * }</pre>
 */
public class QualifyBareAddresses extends GenericMailet {
    public static final String DEFAULT_DOMAIN = "defaultDomain";
    static final List<String> HEADERS = List.of("From", "Sender", "Reply-To", "To", "Cc");
    private static final Logger LOGGER = LoggerFactory.getLogger(QualifyBareAddresses.class);

    private final DomainList domainList;
    /** Empty: domainlist.xml's default domain, read per mail since webadmin may change it. */
    private Optional<String> configuredDomain;

    @Inject
    public QualifyBareAddresses(DomainList domainList) {
        this.domainList = domainList;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of(DEFAULT_DOMAIN));
        configuredDomain = Optional.ofNullable(getInitParameter(DEFAULT_DOMAIN)).map(String::trim).filter(value -> !value.isEmpty());
        defaultDomain();
    }

    private String defaultDomain() throws MessagingException {
        if (configuredDomain.isPresent()) {
            return configuredDomain.get();
        }
        try {
            return domainList.getDefaultDomain().asString();
        } catch (DomainListException e) {
            throw new MessagingException(getMailetName() + ": no <" + DEFAULT_DOMAIN + "> and no default domain in domainlist.xml", e);
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        MimeMessage message = mail.getMessage();
        String defaultDomain = defaultDomain();
        boolean changed = false;
        for (String header : HEADERS) {
            String[] values = message.getHeader(header);
            if (values == null || values.length != 1) {
                continue;
            }
            String qualified = qualify(values[0], defaultDomain);
            if (qualified != null) {
                message.setHeader(header, qualified);
                changed = true;
            }
        }
        if (changed) {
            message.saveChanges();
            LOGGER.debug("{}: bare addresses qualified with @{}", mail.getName(), defaultDomain);
        }
    }

    /** @return the header value with bare addresses qualified, or null when it has none (or cannot be parsed) */
    static String qualify(String value, String defaultDomain) {
        InternetAddress[] addresses;
        try {
            addresses = InternetAddress.parseHeader(MimeUtility.unfold(value), false);
        } catch (AddressException e) {
            return null;
        }
        boolean bare = false;
        for (InternetAddress address : addresses) {
            if (!address.isGroup() && address.getAddress() != null && !address.getAddress().contains("@")) {
                address.setAddress(address.getAddress() + "@" + defaultDomain);
                bare = true;
            }
        }
        return bare ? InternetAddress.toString(addresses) : null;
    }
}
