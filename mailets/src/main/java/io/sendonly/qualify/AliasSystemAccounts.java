package io.sendonly.qualify;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.AddressException;

import org.apache.james.core.Domain;
import org.apache.james.core.MailAddress;
import org.apache.james.domainlist.api.DomainList;
import org.apache.james.domainlist.api.DomainListException;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.collect.ImmutableList;

/**
 * Sends mail for the system accounts of this host (root, postmaster, MAILER-DAEMON, abuse at the default domain or
 * localhost) to the admin address, as the seed's {@code /etc/aliases} and nullmailer's {@code adminaddr} do:
 * cron and daemons write to {@code root}, and someone must read it.
 *
 * <pre>{@code
 * <mailet match="All" class="io.sendonly.qualify.AliasSystemAccounts">
 *     <adminAddress>ops@example.com</adminAddress>  <!-- optional: the <postmaster> of mailetcontainer.xml -->
 * </mailet>
 * }</pre>
 */
public class AliasSystemAccounts extends GenericMailet {
    public static final String ADMIN_ADDRESS = "adminAddress";
    static final Set<String> SYSTEM_ACCOUNTS = Set.of("root", "postmaster", "mailer-daemon", "abuse");
    private static final Logger LOGGER = LoggerFactory.getLogger(AliasSystemAccounts.class);

    private final DomainList domainList;
    /** Empty: the mailet context's postmaster, read per mail: the context sets it after mailets are built, and
     * webadmin may change it. */
    private Optional<MailAddress> configuredAdmin;

    @Inject
    public AliasSystemAccounts(DomainList domainList) {
        this.domainList = domainList;
    }

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of(ADMIN_ADDRESS));
        String configured = getInitParameter(ADMIN_ADDRESS);
        try {
            configuredAdmin = configured == null || configured.isBlank() ? Optional.empty() : Optional.of(new MailAddress(configured.trim()));
        } catch (AddressException e) {
            throw new MessagingException(getMailetName() + ": <" + ADMIN_ADDRESS + "> '" + configured + "' is not an address", e);
        }
        Domain defaultDomain = defaultDomain();
        if (configuredAdmin.filter(admin -> isSystemAccount(admin, defaultDomain)).isPresent()) {
            throw new MessagingException(getMailetName() + ": <" + ADMIN_ADDRESS + "> '" + configured
                + "' is itself a system account of this host: give a mailbox someone reads");
        }
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        Domain defaultDomain = defaultDomain();
        if (mail.getRecipients().stream().noneMatch(recipient -> isSystemAccount(recipient, defaultDomain))) {
            return;
        }
        MailAddress admin = configuredAdmin.orElseGet(() -> getMailetContext().getPostmaster());
        if (isSystemAccount(admin, defaultDomain)) {
            LOGGER.warn("{} not aliased: the admin address {} is a system account of this host; set the <postmaster> of "
                + "mailetcontainer.xml to a mailbox someone reads", mail.getName(), admin.asString());
            return;
        }
        ImmutableList.Builder<MailAddress> recipients = ImmutableList.builder();
        boolean aliased = false;
        for (MailAddress recipient : mail.getRecipients()) {
            if (isSystemAccount(recipient, defaultDomain)) {
                recipients.add(admin);
                aliased = true;
                LOGGER.info("{}: {} aliased to the admin address {}", mail.getName(), recipient.asString(), admin.asString());
            } else {
                recipients.add(recipient);
            }
        }
        if (aliased) {
            mail.setRecipients(recipients.build().stream().distinct().collect(ImmutableList.toImmutableList()));
        }
    }

    /** root, postmaster, MAILER-DAEMON or abuse at the default domain or localhost: no one reads these. */
    public static boolean isSystemAccount(MailAddress address, Domain defaultDomain) {
        return SYSTEM_ACCOUNTS.contains(address.getLocalPart().toLowerCase(Locale.ROOT))
            && (address.getDomain().equals(defaultDomain) || address.getDomain().equals(Domain.LOCALHOST));
    }

    /** Read per mail: webadmin may change it. */
    private Domain defaultDomain() throws MessagingException {
        try {
            return domainList.getDefaultDomain();
        } catch (DomainListException e) {
            throw new MessagingException(getMailetName() + ": no default domain in domainlist.xml", e);
        }
    }
}
