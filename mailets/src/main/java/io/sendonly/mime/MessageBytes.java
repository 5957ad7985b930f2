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
}
