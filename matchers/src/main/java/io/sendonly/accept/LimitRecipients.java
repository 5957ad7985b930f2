package io.sendonly.accept;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.protocols.smtp.hook.RcptHook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code maxRecipients} recipients per transaction (default 1000, Postfix {@code smtpd_recipient_limit});
 * each further RCPT gets {@code 452 4.5.3 Too many recipients}, so that the client sends them in another
 * transaction (RFC 5321 §4.5.3.1.10). Place it first in the handler chain, since an accepting hook ends the chain:
 *
 * <pre>{@code
 * <handler class="io.sendonly.accept.LimitRecipients">
 *     <maxRecipients>1000</maxRecipients>
 * </handler>
 * }</pre>
 */
public class LimitRecipients implements RcptHook, ProtocolHandler {
    public static final String MAX_RECIPIENTS = "maxRecipients";
    private static final int DEFAULT_MAX_RECIPIENTS = 1000;

    private static final Logger LOGGER = LoggerFactory.getLogger(LimitRecipients.class);
    private static final HookResult TOO_MANY = HookResult.builder()
        .hookReturnCode(HookReturnCode.deny())
        .smtpReturnCode(SMTPRetCode.SYSTEM_STORAGE_ERROR)
        .smtpDescription("4.5.3 Too many recipients")
        .build();

    private int maxRecipients;

    @Override
    public void init(Configuration config) throws ConfigurationException {
        String value = config.getString(MAX_RECIPIENTS, String.valueOf(DEFAULT_MAX_RECIPIENTS)).trim();
        if (!value.matches("[1-9][0-9]{0,8}")) {
            throw new ConfigurationException(getClass().getSimpleName() + " <" + MAX_RECIPIENTS + "> '" + value + "': expected a whole number from 1");
        }
        maxRecipients = Integer.parseInt(value);
    }

    @Override
    public HookResult doRcpt(SMTPSession session, MaybeSender sender, MailAddress rcpt) {
        if (session.getRcptCount() >= maxRecipients) {
            LOGGER.info("Too many recipients from {}: {} accepted, {} deferred", session.getRemoteAddress(), maxRecipients, rcpt.asString());
            return TOO_MANY;
        }
        return HookResult.DECLINED;
    }
}
