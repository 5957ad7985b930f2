package io.sendonly.server.accept;

import java.util.Map;
import java.util.Objects;

import javax.inject.Inject;
import javax.mail.MessagingException;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.protocols.api.handler.ProtocolHandler;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.hook.HookResult;
import org.apache.james.protocols.smtp.hook.HookReturnCode;
import org.apache.james.smtpserver.JamesMessageHook;
import org.apache.mailet.Mail;

import io.sendonly.sign.FromAlignment;

/**
 * At the end of DATA, whether the message's From domain can align under DMARC once sent ({@link FromAlignmentGuard}):
 * a DKIM key of the SigningTable for its organizational domain, or an envelope sender in it. Mail that cannot align
 * is lost at the receiver, so the guard says so while the application is still listening. {@code <mode>}:
 * {@code log} (default: a WARN line and an UNALIGNED event, the mail goes on), {@code refuse} (the same, and
 * {@code 550 5.7.26 From domain D cannot align with DMARC: ...}, nothing queued) or {@code off}. Place it after
 * RefuseAmbiguousFrom:
 *
 * <pre>{@code
 * <handler class="io.sendonly.server.accept.CheckFromAlignment">
 *     <mode>log</mode>
 * </handler>
 * }</pre>
 * 5.7.26 (RFC 7372, "multiple authentication checks failed"): both of DMARC's paths, DKIM and SPF alignment, fail;
 * it is also the code Gmail and Yahoo answer when they reject mail for DMARC.
 */
public class CheckFromAlignment implements JamesMessageHook, ProtocolHandler {
    public static final String MODE = "mode";
    static final String REFUSAL_CODE = "5.7.26";

    private final FromAlignmentGuard guard;
    private AlignmentMode mode;

    @Inject
    public CheckFromAlignment(FromAlignmentGuard guard) {
        this.guard = guard;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        try {
            mode = AlignmentMode.parse(config.getString(MODE, AlignmentMode.DEFAULT.toString()), getClass().getSimpleName() + " <" + MODE + ">");
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    @Override
    public HookResult onMessage(SMTPSession session, Mail mail) {
        if (mode == AlignmentMode.OFF) {
            return HookResult.DECLINED;
        }
        FromAlignment.Verdict verdict;
        try {
            verdict = guard.judge(mail);
        } catch (MessagingException e) {
            throw new IllegalStateException("Cannot read the headers of " + mail.getName(), e);
        }
        if (verdict.aligned()) {
            return HookResult.DECLINED;
        }
        boolean refuse = mode == AlignmentMode.REFUSE;
        guard.report(mail, verdict, refuse, Map.of("client", Objects.toString(mail.getRemoteAddr(), "")));
        if (!refuse) {
            return HookResult.DECLINED;
        }
        return HookResult.builder()
            .hookReturnCode(HookReturnCode.deny())
            .smtpReturnCode(SMTPRetCode.MAILBOX_PERM_UNAVAILABLE)
            .smtpDescription(REFUSAL_CODE + " " + verdict.problem().orElseThrow())
            .build();
    }
}
