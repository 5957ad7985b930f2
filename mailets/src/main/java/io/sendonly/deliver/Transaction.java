package io.sendonly.deliver;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.james.core.MailAddress;

/**
 * How far one mail transaction got, filled in by {@link SmtpSession#send} as replies arrive, so that a transaction
 * cut short (disconnect, timeout, malformed reply) still says which recipients were refused and whether the final
 * dot was sent: {@link Trouble} decides from it.
 */
final class Transaction {
    private final List<MailAddress> recipients;
    private final List<Reply> recipientReplies = new ArrayList<>();
    private Reply mail;
    private Reply data;
    private boolean dotSent;
    private Reply dot;

    Transaction(List<MailAddress> recipients) {
        this.recipients = List.copyOf(recipients);
    }

    List<MailAddress> recipients() {
        return recipients;
    }

    void mail(Reply reply) {
        mail = reply;
    }

    void recipient(Reply reply) {
        recipientReplies.add(reply);
    }

    void data(Reply reply) {
        data = reply;
    }

    void dotSent() {
        dotSent = true;
    }

    void dot(Reply reply) {
        dot = reply;
    }

    Optional<Reply> mail() {
        return Optional.ofNullable(mail);
    }

    /** The RCPT reply of the recipient at {@code index}, when it came. */
    Optional<Reply> recipientReply(int index) {
        return index < recipientReplies.size() ? Optional.of(recipientReplies.get(index)) : Optional.empty();
    }

    boolean anyRecipientAccepted() {
        return recipientReplies.stream().anyMatch(Reply::positive);
    }

    Optional<Reply> data() {
        return Optional.ofNullable(data);
    }

    boolean isDotSent() {
        return dotSent;
    }

    Optional<Reply> dot() {
        return Optional.ofNullable(dot);
    }
}
