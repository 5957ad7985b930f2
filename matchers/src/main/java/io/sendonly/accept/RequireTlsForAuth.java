package io.sendonly.accept;

import java.util.Collection;

import org.apache.james.protocols.api.Request;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.CommandHandler;
import org.apache.james.protocols.smtp.SMTPConfiguration;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;

import com.google.common.collect.ImmutableSet;

/**
 * Refuses AUTH before STARTTLS with {@code 538 5.7.11} (RFC 4954 §6, Postfix {@code smtpd_tls_auth_only}) when
 * smtpserver.xml's {@code <requireSSL>} is on: James 3.8.1 then only hides AUTH from EHLO, and still checks
 * credentials sent in clear. Place it before {@code CoreCmdHandlerLoader}:
 * {@code <handler class="io.sendonly.accept.RequireTlsForAuth"/>}.
 */
public class RequireTlsForAuth implements CommandHandler<SMTPSession> {
    private static final Response ENCRYPTION_REQUIRED = new SMTPResponse(SMTPRetCode.AUTH_ENCRYPTION_REQUIRED, "5.7.11 Encryption required for requested authentication mechanism")
        .immutable();

    @Override
    public Response onCommand(SMTPSession session, Request request) {
        if (!session.isTLSStarted() && encryptionRequired(session)) {
            return ENCRYPTION_REQUIRED;
        }
        // null: AuthCmdHandler goes on with the exchange.
        return null;
    }

    /** James does not expose {@code requireSSL}; AUTH offered with TLS but not without is what it means. */
    private static boolean encryptionRequired(SMTPSession session) {
        SMTPConfiguration configuration = session.getConfiguration();
        String client = session.getRemoteAddress().getAddress().getHostAddress();
        return configuration.isAuthAnnounced(client, true) && !configuration.isAuthAnnounced(client, false);
    }

    @Override
    public Collection<String> getImplCommands() {
        return ImmutableSet.of("AUTH");
    }
}
