package io.sendonly.events;

import javax.mail.MessagingException;

import org.apache.mailet.Mail;

/**
 * The two names every event of a mail carries: the Message-ID header without its angle brackets (empty when the
 * message has none or cannot be read) and the queue id, James's mail name.
 */
public record MessageIds(String messageId, String queueId) {
    public static MessageIds of(Mail mail) {
        return new MessageIds(messageId(mail), mail.getName());
    }

    private static String messageId(Mail mail) {
        try {
            String[] values = mail.getMessage() == null ? null : mail.getMessage().getHeader("Message-ID");
            if (values == null || values.length == 0) {
                return "";
            }
            String value = values[0].trim();
            return value.startsWith("<") && value.endsWith(">") ? value.substring(1, value.length() - 1) : value;
        } catch (MessagingException e) {
            return "";
        }
    }
}
