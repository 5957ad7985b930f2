package io.sendonly.server.accept;

import org.apache.james.protocols.api.CommandDetectionSession;
import org.apache.james.protocols.api.ProtocolSession.AttachmentKey;
import org.apache.james.protocols.api.ProtocolSession.State;
import org.apache.james.protocols.api.Response;
import org.apache.james.protocols.api.handler.LineHandler;
import org.apache.james.protocols.netty.BasicChannelInboundHandler;
import org.apache.james.protocols.smtp.SMTPResponse;
import org.apache.james.protocols.smtp.SMTPRetCode;
import org.apache.james.protocols.smtp.SMTPSession;
import org.apache.james.smtpserver.ExtendedSMTPSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;

/**
 * A message line longer than {@code <maxLineLength>} makes the whole message refused, with one reply after its final
 * dot: {@code 552 5.3.4 Message line too long}. James 3.8.1 answers 500 in the middle of DATA, drops the line and
 * then accepts the rest with 250, so the client reads each later reply as the answer to the wrong command. Command
 * lines keep James's answer. Sits just before James's core handler, on the same thread, so that it sees the
 * session as the line before left it.
 */
@ChannelHandler.Sharable
final class OverlongDataLines extends ChannelInboundHandlerAdapter {
    private static final Logger LOGGER = LoggerFactory.getLogger(OverlongDataLines.class);
    private static final AttachmentKey<Boolean> REFUSING = AttachmentKey.of("sendonly.lineTooLong", Boolean.class);
    private static final Response LINE_TOO_LONG = new SMTPResponse(SMTPRetCode.QUOTA_EXCEEDED, "5.3.4 Message line too long").immutable();

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
        CommandDetectionSession session = ctx.channel().attr(BasicChannelInboundHandler.SESSION_ATTRIBUTE_KEY).get();
        if (cause instanceof TooLongFrameException && session instanceof ExtendedSMTPSession smtp && smtp.getMimeMessageWriter() != null) {
            if (smtp.getAttachment(REFUSING, State.Transaction).isEmpty()) {
                LOGGER.info("Refusing the message from {}: a line longer than the limit", smtp.getRemoteAddress());
                smtp.setAttachment(REFUSING, true, State.Transaction);
                smtp.pushLineHandler(new RefuseAtFinalDot());
            }
            return;
        }
        super.exceptionCaught(ctx, cause);
    }

    /** Reads the rest of the message into nothing; only {@code <CR><LF>.<CR><LF>} ends it. One per message. */
    private static final class RefuseAtFinalDot implements LineHandler<SMTPSession> {
        // The line that was too long is taken as ended by CRLF.
        private boolean afterCrLf = true;

        @Override
        public Response onLine(SMTPSession session, byte[] line) {
            boolean finalDot = afterCrLf && line.length == 3 && line[0] == '.' && line[1] == '\r' && line[2] == '\n';
            afterCrLf = line.length >= 2 && line[line.length - 2] == '\r' && line[line.length - 1] == '\n';
            if (!finalDot) {
                return null;
            }
            session.popLineHandler();
            // James's DATA line handler, under this one.
            session.popLineHandler();
            // Drops the transaction and the message spooled so far, as James does after a message.
            session.resetState();
            return LINE_TOO_LONG;
        }
    }
}
