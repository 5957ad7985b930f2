package io.sendonly.deliver;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.james.core.MailAddress;

import io.sendonly.smtp.Reply;
import io.sendonly.smtp.TransactionRecord;

/**
 * How far one mail transaction got, filled in by {@link io.sendonly.smtp.SmtpSession#send} as replies arrive, so
 * that a transaction cut short (disconnect, timeout, malformed reply) still says which recipients were refused and
 * whether the final dot was sent: {@link Trouble} decides from it.
 */
final class Transaction implements TransactionRecord {
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

    @Override
    public List<String> forwardPaths() {
        return recipients.stream().map(MailAddress::asString).toList();
    }

    @Override
    public void mail(Reply reply) {
        mail = reply;
    }

    @Override
    public void recipient(Reply reply) {
        recipientReplies.add(reply);
    }

    @Override
    public void data(Reply reply) {
        data = reply;
    }

    @Override
    public void dotSent() {
        dotSent = true;
    }

    @Override
    public void dot(Reply reply) {
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
