package io.sendonly.mime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

/** A message as the bytes James holds: what DKIM signs, what goes on the wire, what a report returns. */
public final class MessageBytes {
    private MessageBytes() {
    }

    public static byte[] of(MimeMessage message) throws MessagingException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            message.writeTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new MessagingException("cannot read the message", e);
        }
    }

    /** The bytes to send: CRLF line ends, as SMTP wants and as the DKIM signature was computed over. */
    public static byte[] forSmtp(MimeMessage message) throws MessagingException {
        return crlf(of(message));
    }

    /** Every bare LF and bare CR made CRLF; the same array when there is none. */
    static byte[] crlf(byte[] bytes) {
        ByteArrayOutputStream crlf = null;
        for (int i = 0; i < bytes.length; i++) {
            boolean bareLf = bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r');
            boolean bareCr = bytes[i] == '\r' && (i + 1 == bytes.length || bytes[i + 1] != '\n');
            if ((bareLf || bareCr) && crlf == null) {
                crlf = new ByteArrayOutputStream(bytes.length + 256);
                crlf.write(bytes, 0, i);
            }
            if (crlf != null) {
                if (bareLf || bareCr) {
                    crlf.write('\r');
                    crlf.write('\n');
                } else {
                    crlf.write(bytes[i]);
                }
            }
        }
        return crlf == null ? bytes : crlf.toByteArray();
    }

    /** Whether any octet has its high bit set: such a message needs 8BITMIME. */
    public static boolean eightBit(byte[] message) {
        for (byte b : message) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }
}
