package io.sendonly.accept;

import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.DataLineFilter;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.google.common.primitives.Bytes;

/**
 * Refuses, after the final dot, a message holding a NUL character ({@code 554 5.6.0}; Postfix
 * {@code message_reject_characters = \0}). RFC 5322 forbids NUL, and receivers written in C may read a header
 * only up to it, so they would not see what was signed. Refusing tells the application; stripping would change
 * its message silently. Add it to the handler chain: {@code <handler class="io.sendonly.accept.RefuseNulCharacters"/>}.
 */
public class RefuseNulCharacters implements DataLineFilter, JamesMessageHook {
    private static final Logger LOGGER = LoggerFactory.getLogger(RefuseNulCharacters.class);
    private static final AttachmentKey<Boolean> HAS_NUL = AttachmentKey.of("sendonly.hasNul", Boolean.class);
    private static final HookResult NUL_REFUSED = HookResult.builder()
        .hookReturnCode(HookReturnCode.deny())
        .smtpReturnCode(SMTPRetCode.TRANSACTION_FAILED)
        .smtpDescription("5.6.0 Message contains NUL characters")
        .build();

    @Override
    public Response onLine(SMTPSession session, byte[] line, LineHandler<SMTPSession> next) {
        if (Bytes.contains(line, (byte) 0)) {
            session.setAttachment(HAS_NUL, true, State.Transaction);
        }
        return next.onLine(session, line);
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (session.getAttachment(HAS_NUL, State.Transaction).isPresent()) {
            LOGGER.info("Refused {} from {}: NUL characters", mail.getName(), session.getRemoteAddress());
            return NUL_REFUSED;
        }
        return HookResult.DECLINED;
    }
}
