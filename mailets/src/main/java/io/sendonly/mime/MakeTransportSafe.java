package io.sendonly.mime;

import java.io.ByteArrayInputStream;
import java.util.Properties;
import java.util.Set;

import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;

import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.sendonly.sign.SignDkim;

/**
 * Makes each message safe for any SMTP hop ({@link TransportSafe}: header lines folded under 998 octets; parts with
 * longer lines, 8-bit octets, bare CR or NUL encoded quoted-printable or base64), so that no hop refuses it for a line
 * too long and none has to change it after it is signed. Place it right before SignDkim; a signed message is left alone.
 *
 * <pre>{@code
 * <mailet match="All" class="io.sendonly.mime.MakeTransportSafe"/>
 * }</pre>
 */
public class MakeTransportSafe extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(MakeTransportSafe.class);
    // No mail.mime.allowutf8: headers are read and written back as ISO-8859-1, octet for octet.
    private static final Session BYTES_AS_THEY_ARE = Session.getInstance(new Properties());

    @Override
    public void init() throws MessagingException {
        checkInitParameters(Set.of());
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        if (mail.getAttribute(SignDkim.SIGNED).isPresent()) {
            return;
        }
        byte[] message = MessageBytes.of(mail.getMessage());
        byte[] safe = TransportSafe.of(message);
        if (safe != message) {
            mail.setMessage(new MimeMessage(BYTES_AS_THEY_ARE, new ByteArrayInputStream(safe)));
            LOGGER.info("{}: encoded for transport (a line over {} octets, 8-bit, bare CR or NUL): {} -> {} octets",
                mail.getName(), TransportSafe.MAX_LINE, message.length, safe.length);
        }
    }
}
