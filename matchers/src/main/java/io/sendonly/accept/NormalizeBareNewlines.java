package io.sendonly.accept;

import javax.inject.Inject;

import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.james.filesystem.api.FileSystem;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.protocols.smtp.core.DataLineFilter;

import io.sendonly.check.TrustedHostsFile;

/**
 * Message lines from trusted clients (conf/TrustedHosts) that end in a bare LF are taken as if they ended in CRLF,
 * as Postfix 3.9's {@code smtpd_forbid_bare_newline = normalize}: old applications and {@code mail()} send such lines.
 * Only {@code <CR><LF>.<CR><LF>} ends the message, so no SMTP smuggling sequence ({@code <LF>.<LF>},
 * {@code <LF>.<CR><LF>}, {@code <CR><LF>.<LF>}) can start a second one: such a dot stays in the message.
 * Lines from other clients pass unchanged, and James refuses bare LF from them. Place it before
 * {@code CoreCmdHandlerLoader}:
 *
 * <pre>{@code
 * <handler class="io.sendonly.accept.NormalizeBareNewlines">
 *     <trustedHosts>file://conf/TrustedHosts</trustedHosts>
 * </handler>
 * }</pre>
 */
public class NormalizeBareNewlines implements DataLineFilter {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DOT = '.';
    /** The dot-stuffed form of a message line holding a single dot. */
    private static final byte[] STUFFED_DOT = {DOT, DOT, CR, LF};
    private static final AttachmentKey<Boolean> NORMALIZE = AttachmentKey.of("sendonly.normalizeBareLf", Boolean.class);
    private static final AttachmentKey<Boolean> AFTER_BARE_LF = AttachmentKey.of("sendonly.afterBareLf", Boolean.class);

    private final FileSystem fileSystem;
    private TrustedHostsFile trustedHosts;

    @Inject
    public NormalizeBareNewlines(FileSystem fileSystem) {
        this.fileSystem = fileSystem;
    }

    @Override
    public void init(Configuration config) throws ConfigurationException {
        trustedHosts = TrustedHostsParameter.open(fileSystem, config, getClass());
    }

    @Override
    public Response onLine(SMTPSession session, byte[] line, LineHandler<SMTPSession> next) {
        if (!normalizes(session)) {
            return next.onLine(session, line);
        }
        boolean bareLf = line.length > 0 && line[line.length - 1] == LF && (line.length < 2 || line[line.length - 2] != CR);
        boolean afterBareLf = session.getAttachment(AFTER_BARE_LF, State.Transaction).orElse(false);
        session.setAttachment(AFTER_BARE_LF, bareLf, State.Transaction);
        int contentLength = line.length - (bareLf ? 1 : 2);
        boolean loneDot = contentLength == 1 && line[0] == DOT;
        if (loneDot && (bareLf || afterBareLf)) {
            // Not <CR><LF>.<CR><LF>: the dot is message content.
            return next.onLine(session, STUFFED_DOT);
        }
        return next.onLine(session, bareLf ? withCrLf(line) : line);
    }

    /** Decided once per message: the file is not looked at for every line. */
    private boolean normalizes(SMTPSession session) {
        return session.getAttachment(NORMALIZE, State.Transaction).orElseGet(() -> {
            boolean trusted = trustedHosts.current().isTrusted(session.getRemoteAddress().getAddress());
            session.setAttachment(NORMALIZE, trusted, State.Transaction);
            return trusted;
        });
    }

    private static byte[] withCrLf(byte[] line) {
        byte[] normalized = new byte[line.length + 1];
        System.arraycopy(line, 0, normalized, 0, line.length - 1);
        normalized[line.length - 1] = CR;
        normalized[line.length] = LF;
        return normalized;
    }
}
