package io.sendonly.accept;

import javax.mail.MessagingException;

import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses, at the end of DATA, a message with more than one From header field ({@code 550 5.6.0}): its DKIM
 * signing identity would be ambiguous, and verifiers treat such messages as suspect (RFC 6376 §8.15). Add it to
 * smtpserver.xml's handler chain: {@code <handler class="io.sendonly.accept.RefuseAmbiguousFrom"/>}.
 */
public class RefuseAmbiguousFrom implements JamesMessageHook, ProtocolHandler {
    private static final Logger LOGGER = LoggerFactory.getLogger(RefuseAmbiguousFrom.class);
    private static final HookResult SEVERAL_FROM = HookResult.builder()
        .hookReturnCode(HookReturnCode.deny())
        .smtpReturnCode(SMTPRetCode.MAILBOX_PERM_UNAVAILABLE)
        .smtpDescription("5.6.0 Message must have exactly one From header")
        .build();

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        try {
            String[] from = mail.getMessage().getHeader("From");
            if (from != null && from.length > 1) {
                LOGGER.info("Refused {} from {}: {} From headers", mail.getName(), session.getRemoteAddress(), from.length);
                return SEVERAL_FROM;
            }
            return HookResult.DECLINED;
        } catch (MessagingException e) {
            throw new IllegalStateException("Cannot read the headers of " + mail.getName(), e);
        }
    }
}
