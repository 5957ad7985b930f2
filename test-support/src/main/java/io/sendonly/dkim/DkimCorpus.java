package io.sendonly.dkim;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** Messages that trip signers up, by name: the corpus both the unit and the end-to-end DKIM tests sign. */
public final class DkimCorpus {
    public static final Map<String, String> MESSAGES = Stream.of(
            Map.entry("plain ASCII", "From: App <app@example.com>\r\nTo: user@example.net\r\nSubject: Hello\r\n"
                + "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\nMessage-ID: <1@example.com>\r\n\r\nHello.\r\n"),
            Map.entry("RFC 2047 subject", "From: app@example.com\r\nTo: user@example.net\r\n"
                + "Subject: =?UTF-8?B?R3LDvMOfZSBhdXMgS8O2bG4=?=\r\n\r\nbody\r\n"),
            Map.entry("SMTPUTF8 address", "From: Jörg <jörg@example.com>\r\nTo: müller@example.net\r\nSubject: ünïcødé\r\n\r\nbody\r\n"),
            Map.entry("8-bit body", "From: app@example.com\r\nTo: user@example.net\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße aus Köln — ünïcødé\r\n"),
            Map.entry("LF-only input", "From: app@example.com\nTo: user@example.net\nSubject: lf\n\nline one\nline two\n"),
            Map.entry("long folded headers", "From: app@example.com\r\nTo: a@example.net,\r\n  b@example.net,\r\n\tc@example.net\r\n"
                + "Subject: a subject that is long enough to be folded\r\n   over   several    lines\r\n\r\nbody\r\n"),
            Map.entry("trailing whitespace", "From: app@example.com  \r\nSubject: trailing\t \r\n\r\nline with spaces   \r\n\t\r\n\r\n\r\n"),
            Map.entry("empty body", "From: app@example.com\r\nSubject: empty\r\n\r\n"),
            Map.entry("multipart with a binary attachment", "From: app@example.com\r\nTo: user@example.net\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n"
                + "--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4v\r\n--b1--\r\n"),
            Map.entry("upstream DKIM-Signature", "DKIM-Signature: v=1; a=rsa-sha256; d=upstream.example; s=x; h=from; bh=abc=; b=def=\r\n"
                + "From: app@example.com\r\nSubject: relayed\r\n\r\nbody\r\n"))
        .collect(LinkedHashMap::new, (map, entry) -> map.put(entry.getKey(), entry.getValue()), Map::putAll);

    private DkimCorpus() {
    }
}
