package io.sendonly.check;

import java.util.Collection;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.james.core.MailAddress;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.mailet.AttributeName;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMatcher;

import com.google.common.collect.ImmutableList;

/**
 * Matches mail from a client allowed to relay: its address is in the trusted networks, or it authenticated with
 * SMTP AUTH, or it is a local submission (the {@link #LOCAL_SUBMITTER} attribute: a user of this host, by uid). The condition is the {@code TrustedHosts} file (OpenDKIM format, see {@link TrustedNetworks});
 * without one, loopback (127.0.0.0/8, ::1) is trusted.
 *
 * <pre>{@code
 * <mailet match="io.sendonly.check.ClientIsTrusted=file://conf/TrustedHosts" class="ToProcessor">
 *     <processor>relay</processor>
 * </mailet>
 * }</pre>
 */
public class ClientIsTrusted extends GenericMatcher {
    /** The uid of the local user who submitted the mail through the maildrop (Postfix pickup's "from userid"). */
    public static final AttributeName LOCAL_SUBMITTER = AttributeName.of("io.sendonly.localSubmitter.uid");

    private final FileSystem fileSystem;
    private TrustedHostsFile trustedHosts;

    @Inject
    public ClientIsTrusted(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
    }

    @Override
    public void init() throws MessagingException {
        try {
            trustedHosts = TrustedHostsFile.open(fileSystem, getCondition());
        } catch (IllegalArgumentException e) {
            throw new MessagingException(getMatcherName() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Collection<MailAddress> match(Mail mail) {
        if (isAuthenticated(mail) || mail.getAttribute(LOCAL_SUBMITTER).isPresent() || trustedHosts.current().isTrusted(mail.getRemoteAddr())) {
            return mail.getRecipients();
        }
        return ImmutableList.of();
    }

    private static boolean isAuthenticated(Mail mail) {
        return mail.getAttribute(Mail.SMTP_AUTH_USER).isPresent();
    }
}
