package io.sendonly.server.testing;

import java.util.UUID;

/** Test messages as the bytes an application would submit. */
public final class Messages {
    private Messages() {
    }

    public static String newMessageId() {
        return "<" + UUID.randomUUID() + "@app.test>";
    }

    public static String simple(String messageId, String from, String to, String subject, String body) {
        return "From: " + from + "\r\n"
            + "To: " + to + "\r\n"
            + "Subject: " + subject + "\r\n"
            + "Message-ID: " + messageId + "\r\n"
            + "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
            + "MIME-Version: 1.0\r\n"
            + "Content-Type: text/plain; charset=UTF-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n"
            + "\r\n"
            + body;
    }
}
