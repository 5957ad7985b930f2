package io.sendonly.server.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * Real-world messages that break naive MTAs and signers, each with its own Message-ID, as the octets an application
 * submits: long lines and headers, bare CR, 8-bit with and without a charset, RFC 2047 and 2231, nested multipart,
 * binary and large attachments, empty bodies, dot lines, upstream signatures, several From forms.
 */
public final class TrickyMessages {
    public record Tricky(String name, byte[] octets) {
        public String messageId() {
            return "<corpus-" + name.replaceAll("[^a-z0-9]+", "-") + "@example.com>";
        }
    }

    private static final String LONG_HTML = "<html><body><table>" + "<tr><td style=\"padding:4px\">cell</td></tr>".repeat(40) + "</table></body></html>";

    private TrickyMessages() {
    }

    /** @param withHuge whether to include the 25 MB message */
    public static List<Tricky> all(boolean withHuge) {
        List<Tricky> all = new ArrayList<>();
        add(all, "plain ascii", "Content-Type: text/plain\r\n", "Hello.\r\n");
        add(all, "html line of 1501 characters", "Content-Type: text/html; charset=utf-8\r\n", LONG_HTML.substring(0, 1501) + "\r\n");
        add(all, "text line of 5000 octets declared 8bit", "Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 8bit\r\n",
            "x".repeat(5000) + "\r\nnext\r\n");
        add(all, "line of 20000 octets without mime headers", "", "0123456789".repeat(2000) + "\r\n");
        add(all, "long line already quoted-printable", "Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n",
            ("abc=\r\n").repeat(300) + "end\r\n");
        add(all, "subject of 1200 characters", "Subject: " + "word ".repeat(240).trim() + "\r\n", "body\r\n");
        add(all, "to list of 2000 characters", "Cc: " + String.join(", ", Collections.nCopies(60, "recipient.number@example.net")) + "\r\n", "body\r\n");
        add(all, "header folded with tabs", "X-Folded: one\r\n\ttwo\r\n\t three\r\n", "body\r\n");
        add(all, "bare cr in the body", "Content-Type: text/plain\r\n", "one\rtwo\r\nthree\r\r\n");
        add(all, "utf-8 body declared 8bit", "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n",
            utf8("Grüße aus Köln — ünïcødé, Привет, 你好\r\n"));
        add(all, "latin-1 body declared", "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n",
            "Grüße, ça coûte 5 ¤, déjà vu\r\n");
        add(all, "8-bit body without any mime header", "", utf8("naïve café\r\n"));
        add(all, "8-bit body declared 7bit", "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n", utf8("mislabelled ü\r\n"));
        add(all, "rfc 2047 subject", "Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=\r\n", "body\r\n");
        add(all, "rfc 2047 display names", "Reply-To: =?ISO-8859-1?Q?Andr=E9?= <andre@example.com>\r\n", "body\r\n");
        add(all, "rfc 2231 filename", multipart("mixed", "b2231",
            part("text/plain", "", "see attached\r\n"),
            part("application/pdf; name*=UTF-8''r%C3%A9sum%C3%A9.pdf", "Content-Disposition: attachment; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf\r\nContent-Transfer-Encoding: base64\r\n",
                base64(bytes(3000)))), "");
        add(all, "rfc 2231 continuations", multipart("mixed", "bcont",
            part("text/plain", "", "see attached\r\n"),
            part("application/octet-stream", "Content-Disposition: attachment;\r\n filename*0*=UTF-8''a%20very%20long%20;\r\n filename*1*=name%C3%A9.bin\r\n"
                + "Content-Transfer-Encoding: base64\r\n", base64(bytes(100)))), "");
        add(all, "nested multipart", multipart("mixed", "outer",
            multipartPart("alternative", "inner", part("text/plain; charset=utf-8", "Content-Transfer-Encoding: 8bit\r\n", utf8("Grüße\r\n")),
                part("text/html; charset=utf-8", "", LONG_HTML.substring(0, 1200) + "\r\n")),
            part("application/octet-stream", "Content-Transfer-Encoding: base64\r\n", base64(bytes(5000)))), "");
        add(all, "multipart related with an inline image", multipart("related", "rel",
            part("text/html", "", "<img src=\"cid:logo\">\r\n"),
            part("image/png", "Content-ID: <logo>\r\nContent-Transfer-Encoding: base64\r\n", base64(bytes(20000)))), "");
        add(all, "binary attachment declared binary", multipart("mixed", "bin",
            part("text/plain", "", "raw octets follow\r\n"),
            part("application/octet-stream", "Content-Transfer-Encoding: binary\r\n", highOctets(4000) + "\r\n")), "");
        add(all, "8-bit attachment declared 8bit", multipart("mixed", "eight",
            part("text/plain", "", "attached\r\n"),
            part("application/x-thing", "Content-Transfer-Encoding: 8bit\r\n", highOctets(300) + "\r\n" + highOctets(300) + "\r\n")), "");
        add(all, "one megabyte base64 attachment", multipart("mixed", "meg",
            part("text/plain", "", "big\r\n"),
            part("application/zip", "Content-Transfer-Encoding: base64\r\n", base64(bytes(1 << 20)))), "");
        add(all, "empty body", "Content-Type: text/plain\r\n", "");
        add(all, "no trailing line break", "Content-Type: text/plain\r\n", "last line without CRLF");
        add(all, "dot lines", "Content-Type: text/plain\r\n", ".\r\n..\r\n.hidden\r\n. \r\nend\r\n");
        add(all, "only dots", "", ".\r\n.\r\n.\r\n");
        add(all, "upstream dkim signature", "DKIM-Signature: v=1; a=rsa-sha256; d=upstream.example; s=x; h=from; bh=abc=; b=def=\r\n", "body\r\n");
        add(all, "from with a quoted display name", "", "body\r\n", "\"Doe, John\" <app@example.com>");
        add(all, "from with a comment", "", "body\r\n", "app@example.com (The App)");
        add(all, "from with an encoded name", "", "body\r\n", "=?UTF-8?Q?J=C3=B6rg?= <app@example.com>");
        add(all, "from in angle brackets only", "", "body\r\n", "<app@example.com>");
        add(all, "sender and reply-to", "Sender: bounces@example.com\r\nReply-To: support@example.com\r\n", "body\r\n");
        add(all, "attached message with a long line", multipart("mixed", "fwd",
            part("text/plain", "", "forwarded:\r\n"),
            part("message/rfc822", "", "From: b@example.org\r\nSubject: inner\r\nContent-Type: text/plain\r\n\r\n" + "y".repeat(1200) + "\r\n")), "");
        add(all, "attached message with 8-bit", multipart("mixed", "fwd8",
            part("text/plain", "", "forwarded:\r\n"),
            part("message/rfc822", "", "From: b@example.org\r\nSubject: inner\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + utf8("Grüße\r\n"))), "");
        add(all, "format flowed with trailing spaces", "Content-Type: text/plain; format=flowed; delsp=yes\r\n", "a line that \r\ncontinues here \r\nend\r\n");
        add(all, "trailing whitespace and blank lines", "", "spaces   \r\n\t\r\n\r\n\r\n\r\n");
        add(all, "lf only line ends", "", "one\ntwo\nthree\n");
        add(all, "mixed line ends", "", "one\r\ntwo\nthree\r\n");
        add(all, "long boundary with preamble and epilogue", multipart("alternative", "=_" + "b".repeat(68),
            part("text/plain", "", "plain\r\n"), part("text/html", "", "<b>html</b>\r\n")).replace("\r\n\r\n--", "\r\n\r\nThis is a preamble.\r\n--") + "epilogue\r\n", "");
        add(all, "uppercase content-type with quoted boundary", "MIME-Version: 1.0\r\nCONTENT-TYPE: MULTIPART/MIXED; BOUNDARY=\"UP\"\r\n",
            "--UP\r\nContent-Type: TEXT/PLAIN\r\n\r\n" + "z".repeat(1100) + "\r\n--UP--\r\n");
        add(all, "html 8-bit with a long line", "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n",
            utf8("<p>" + "é".repeat(800) + "</p>\r\n"));
        add(all, "bcc header", "Bcc: hidden@example.net\r\n", "body\r\n");
        add(all, "tabs and control characters in text", "Content-Type: text/plain\r\n", "col1\tcol2\tcol3\r\n\u0001\u0002\u001f escapes\r\n");
        if (withHuge) {
            add(all, "message of 25 megabytes", multipart("mixed", "huge",
                part("text/plain", "", "huge\r\n"),
                part("application/octet-stream", "Content-Transfer-Encoding: base64\r\n", base64(bytes(18 << 20)))), "");
        }
        return all;
    }

    private static void add(List<Tricky> all, String name, String headers, String body) {
        add(all, name, headers, body, "App <app@example.com>");
    }

    /** {@code headers} may be a whole MIME entity (headers, blank line, body) when {@code body} is empty and it holds one. */
    private static void add(List<Tricky> all, String name, String headers, String body, String from) {
        Tricky probe = new Tricky(name, new byte[0]);
        boolean entity = headers.contains("\r\n\r\n") && body.isEmpty();
        String top = "From: " + from + "\r\nTo: user@example.net\r\nDate: Mon, 30 Nov 2026 09:00:00 +0000\r\nMessage-ID: " + probe.messageId() + "\r\n"
            + (headers.startsWith("Subject:") || headers.contains("\r\nSubject:") ? "" : "Subject: " + name + "\r\n");
        String text = entity ? top + headers : top + headers + "\r\n" + body;
        all.add(new Tricky(name, text.getBytes(StandardCharsets.ISO_8859_1)));
    }

    private static String multipart(String subtype, String boundary, String... parts) {
        return "MIME-Version: 1.0\r\nContent-Type: multipart/" + subtype + "; boundary=\"" + boundary + "\"\r\n\r\n" + body(boundary, parts);
    }

    private static String multipartPart(String subtype, String boundary, String... parts) {
        return "Content-Type: multipart/" + subtype + "; boundary=\"" + boundary + "\"\r\n\r\n" + body(boundary, parts);
    }

    private static String body(String boundary, String... parts) {
        StringBuilder out = new StringBuilder();
        for (String part : parts) {
            out.append("--").append(boundary).append("\r\n").append(part).append("\r\n");
        }
        return out.append("--").append(boundary).append("--\r\n").toString();
    }

    private static String part(String contentType, String headers, String body) {
        return "Content-Type: " + contentType + "\r\n" + headers + "\r\n" + body.replaceAll("\r\n$", "");
    }

    /** As ISO-8859-1 characters, one per octet: how the SMTP client writes them. */
    private static String utf8(String text) {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    private static String base64(byte[] content) {
        return Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(content) + "\r\n";
    }

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * 31 + (i >> 8));
        }
        return bytes;
    }

    /** Octets 0x80-0xFF, which need no line structure and hold neither NUL nor CR nor LF. */
    private static String highOctets(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append((char) (0x80 + (i * 7) % 0x80));
        }
        return out.toString();
    }
}
