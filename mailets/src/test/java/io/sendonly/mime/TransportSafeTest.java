package io.sendonly.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Properties;

import javax.mail.BodyPart;
import javax.mail.Session;
import javax.mail.internet.MimeMessage;
import javax.mail.internet.MimeMultipart;

import org.junit.jupiter.api.Test;

/** Decoded by JavaMail, an independent MIME reader: what a recipient's client would see must not change. */
class TransportSafeTest {
    private static final String LONG_LINE = "<p>" + "x".repeat(1500) + "</p>";

    @Test
    void aShortAsciiMessageShouldBeLeftAsItIs() {
        byte[] message = bytes("From: a@example.com\r\nSubject: hi\r\n\r\nhello\r\n");

        assertThat(TransportSafe.of(message)).isSameAs(message);
    }

    @Test
    void aBodyLineOver998OctetsShouldBeQuotedPrintableWithTheSameText() throws Exception {
        byte[] message = bytes("From: a@example.com\r\nContent-Type: text/html; charset=us-ascii\r\n\r\n" + LONG_LINE + "\r\nend\r\n");

        byte[] safe = TransportSafe.of(message);

        assertEveryLineAtMost(safe, 998);
        MimeMessage parsed = parse(safe);
        assertThat(parsed.getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
        assertThat(parsed.getHeader("MIME-Version")).containsExactly("1.0");
        assertThat(text(parsed.getInputStream())).isEqualTo(LONG_LINE + "\r\nend\r\n");
    }

    @Test
    void eightBitTextShouldBeQuotedPrintableKeepingItsCharsetAndOneEncodingHeader() throws Exception {
        String body = "Grüße, ça va ? Привет\r\nline two with trailing space \r\n";
        byte[] message = concat(bytes("From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\n"), body.getBytes(StandardCharsets.UTF_8));

        byte[] safe = TransportSafe.of(message);

        assertThat(sevenBit(safe)).isTrue();
        MimeMessage parsed = parse(safe);
        assertThat(parsed.getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
        assertThat(parsed.getContentType()).isEqualTo("text/plain; charset=utf-8");
        assertThat(parsed.getContent()).isEqualTo(body);
    }

    @Test
    void onlyThePartThatNeedsItShouldChangeInAMultipart() throws Exception {
        String plain = "Content-Type: text/plain\r\n\r\nshort plain text\r\n";
        String message = "From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n"
            + "preamble\r\n--b1\r\n" + plain + "--b1\r\nContent-Type: text/html\r\n\r\n" + LONG_LINE + "\r\n--b1--\r\nepilogue\r\n";

        byte[] safe = TransportSafe.of(bytes(message));

        assertEveryLineAtMost(safe, 998);
        String result = new String(safe, StandardCharsets.US_ASCII);
        assertThat(result).contains("preamble\r\n--b1\r\n" + plain + "--b1\r\n").endsWith("\r\n--b1--\r\nepilogue\r\n");
        MimeMultipart multipart = (MimeMultipart) parse(safe).getContent();
        assertThat(multipart.getBodyPart(0).getContent()).as("the CRLF before a boundary is the boundary's").isEqualTo("short plain text");
        assertThat(multipart.getBodyPart(1).getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
        assertThat(multipart.getBodyPart(1).getContent()).isEqualTo(LONG_LINE);
    }

    @Test
    void eightBitBinaryShouldBeBase64WithTheSameOctets() throws Exception {
        byte[] content = new byte[3000];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7);
        }
        byte[] message = concat(bytes("From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=zz\r\n\r\n"
            + "--zz\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n"), content,
            bytes("\r\n--zz--\r\n"));

        byte[] safe = TransportSafe.of(message);

        assertThat(sevenBit(safe)).isTrue();
        BodyPart part = ((MimeMultipart) parse(safe).getContent()).getBodyPart(0);
        assertThat(part.getHeader("Content-Transfer-Encoding")).containsExactly("base64");
        assertThat(part.getInputStream().readAllBytes()).isEqualTo(content);
    }

    @Test
    void aHeaderLineOver998OctetsShouldBeFoldedWithTheSameValue() throws Exception {
        String recipients = String.join(", ", java.util.Collections.nCopies(80, "someone.with.a.long.name@example.com"));
        byte[] message = bytes("From: a@example.com\r\nTo: " + recipients + "\r\nSubject: hi\r\n\r\nbody\r\n");

        byte[] safe = TransportSafe.of(message);

        assertEveryLineAtMost(safe, 998);
        assertThat(parse(safe).getHeader("To")[0].replaceAll("\r\n", "")).isEqualTo(recipients);
        assertThat(new String(safe, StandardCharsets.US_ASCII)).endsWith("\r\nSubject: hi\r\n\r\nbody\r\n");
    }

    @Test
    void aBareCrOrNulShouldBeEncoded() throws Exception {
        byte[] message = bytes("From: a@example.com\r\n\r\none\rtwo\0three\r\n");

        byte[] safe = TransportSafe.of(message);

        assertThat(new String(safe, StandardCharsets.US_ASCII)).contains("one=0Dtwo=00three");
        assertThat(text(parse(safe).getInputStream())).isEqualTo("one\rtwo\0three\r\n");
    }

    @Test
    void alreadyEncodedPartsShouldBeLeftAlone() {
        byte[] message = bytes("From: a@example.com\r\nContent-Transfer-Encoding: base64\r\n\r\naGVsbG8=\r\n");

        assertThat(TransportSafe.of(message)).isSameAs(message);
    }

    @Test
    void anAttachedMessageShouldBeEnteredNotEncoded() throws Exception {
        String inner = "From: b@example.com\r\nContent-Type: text/plain\r\n\r\n" + LONG_LINE + "\r\n";
        byte[] message = bytes("From: a@example.com\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=m\r\n\r\n"
            + "--m\r\nContent-Type: message/rfc822\r\n\r\n" + inner + "--m--\r\n");

        byte[] safe = TransportSafe.of(message);

        assertEveryLineAtMost(safe, 998);
        BodyPart attached = ((MimeMultipart) parse(safe).getContent()).getBodyPart(0);
        assertThat(attached.getHeader("Content-Transfer-Encoding")).isNull();
        MimeMessage innerMessage = (MimeMessage) attached.getContent();
        assertThat(innerMessage.getHeader("Content-Transfer-Encoding")).containsExactly("quoted-printable");
        assertThat(text(innerMessage.getInputStream())).isEqualTo(LONG_LINE);
    }

    private static void assertEveryLineAtMost(byte[] message, int octets) {
        for (String line : new String(message, StandardCharsets.ISO_8859_1).split("\r\n")) {
            assertThat(line.length()).as(line.substring(0, Math.min(60, line.length()))).isLessThanOrEqualTo(octets);
        }
    }

    private static boolean sevenBit(byte[] message) {
        for (byte b : message) {
            if (b < 0) {
                return false;
            }
        }
        return true;
    }

    private static MimeMessage parse(byte[] message) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message));
    }

    private static String text(InputStream in) throws Exception {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Arrays.stream(parts).mapToInt(part -> part.length).sum()];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
