package io.sendonly.accept;

import java.net.InetAddress;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.check.TrustedHostsFile;

/**
 * The SMTP-time relay decision of a send-only server (Postfix {@code mynetworks} + {@code permit_sasl_authenticated}):
 * a RCPT from a trusted or authenticated client is accepted, every other RCPT is refused with
 * {@code 554 5.7.1}, whatever the recipient domain, since this server receives no mail of its own.
 * Place it before {@code CoreCmdHandlerLoader} so that it decides before James's own relay check:
 *
 * <pre>{@code
 * <handlerchain>
 *     <handler class="io.sendonly.accept.RelayOnlyForTrustedClients">
 *         <trustedHosts>file://conf/TrustedHosts</trustedHosts>
 *     </handler>
 *     <handler class="org.apache.james.smtpserver.CoreCmdHandlerLoader"/>
 * </handlerchain>
 * }</pre>
 */
public class RelayOnlyForTrustedClients implements RcptHook, ProtocolHandler {
    public static final String TRUSTED_HOSTS = TrustedHostsParameter.NAME;

    private static final Logger LOGGER = LoggerFactory.getLogger(RelayOnlyForTrustedClients.class);
    private static final HookResult RELAY_DENIED = HookResult.builder()
        .hookReturnCode(HookReturnCode.deny())
        .smtpReturnCode(SMTPRetCode.TRANSACTION_FAILED)
        .smtpDescription("5.7.1 Relay access denied")
        .build();

    private final FileSystem fileSystem;
    private TrustedHostsFile trustedHosts;

    @Inject
    public RelayOnlyForTrustedClients(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        trustedHosts = TrustedHostsParameter.open(fileSystem, config, getClass());
        LOGGER.info("Relaying for authenticated clients and for {}", trustedHosts.current());
    }

    /** Whether {@code client} is in the trusted networks, as the file says now. */
    public boolean isTrusted(InetAddress client) {
        return trustedHosts.current().isTrusted(client);
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        if (session.getUsername() != null || isTrusted(session.getRemoteAddress().getAddress())) {
            // OK, not DECLINED: this hook is the relay decision, James's own (authorizedAddresses) must not veto it.
            return HookResult.OK;
        }
        LOGGER.info("Relay denied: client {} is neither trusted nor authenticated, rcpt {}", session.getRemoteAddress(), rcpt.asString());
        return RELAY_DENIED;
    }
}
