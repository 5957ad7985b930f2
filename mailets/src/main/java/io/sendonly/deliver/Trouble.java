package io.sendonly.deliver;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.james.core.MailAddress;

import io.sendonly.deliver.RecipientResult.Outcome;
import io.sendonly.smtp.ProtocolViolation;
import io.sendonly.smtp.Reply;

/**
 * What each recipient's outcome is after one attempt at one host, decided here alone (Postfix's {@code smtp_trouble.c}):
 * <ul>
 *   <li>before a transaction (connect, greeting, EHLO, STARTTLS, AUTH), any trouble defers every recipient: the next
 *       host or the next attempt may do better;</li>
 *   <li>a completed transaction: a refused MAIL applies to all, a refused RCPT to its recipient, and the reply to the
 *       final dot (or a refused DATA) to every recipient accepted at RCPT;</li>
 *   <li>a transaction cut short (disconnect, timeout, malformed or out-of-step reply): a recipient refused at RCPT keeps
 *       that answer, every other one is deferred. Cut short after the final dot and before its reply, the message may
 *       have been delivered (RFC 1047): deferred all the same, as a duplicate is better than a loss, and
 *       {@link #mayBeDuplicated} says so for the caller to count and log.</li>
 * </ul>
 * A recipient accepted at the final dot is never deferred, whatever happens after (QUIT, closing).
 */
final class Trouble {
    private Trouble() {
    }

    /** Every recipient deferred with this reply as diagnostic, in its 4xx form. */
    static List<RecipientResult> deferAll(List<MailAddress> recipients, Reply reply, String remoteMta, String context) {
        String status = "4" + reply.status().substring(1);
        return recipients.stream()
            .map(recipient -> new RecipientResult(recipient, Outcome.DEFERRED, status, remoteMta, "smtp; " + reply + " (" + context + ")"))
            .toList();
    }

    static List<RecipientResult> deferAll(List<MailAddress> recipients, String status, String remoteMta, String explanation) {
        return recipients.stream().map(recipient -> RecipientResult.deferred(recipient, status, remoteMta, explanation)).toList();
    }

    /** The outcomes of a transaction whose every reply came. */
    static List<RecipientResult> completed(Transaction transaction, String remoteMta) {
        Reply mail = transaction.mail().orElseThrow();
        List<MailAddress> recipients = transaction.recipients();
        if (!mail.positive()) {
            return recipients.stream().map(recipient -> RecipientResult.of(recipient, mail, remoteMta)).toList();
        }
        List<RecipientResult> results = new ArrayList<>();
        for (int i = 0; i < recipients.size(); i++) {
            Reply rcpt = transaction.recipientReply(i).orElseThrow();
            Reply outcome = rcpt.positive() ? transaction.dot().or(transaction::data).orElseThrow() : rcpt;
            results.add(RecipientResult.of(recipients.get(i), outcome, remoteMta));
        }
        return results;
    }

    /** The outcomes of a transaction cut short by {@code cause}. */
    static List<RecipientResult> interrupted(Transaction transaction, Exception cause, String remoteMta, String host) {
        String explanation = (mayBeDuplicated(transaction)
            ? "lost connection with " + host + " after end of data, before its reply; the message may be delivered twice (RFC 1047)"
            : cause instanceof ProtocolViolation ? "protocol error with " + host
            : cause instanceof SocketTimeoutException ? "conversation with " + host + " timed out"
            : cause instanceof IOException ? "lost connection with " + host
            : "internal error talking to " + host) + ": " + cause.getMessage();
        Optional<Reply> refusedMail = transaction.mail().filter(reply -> !reply.positive());
        List<RecipientResult> results = new ArrayList<>();
        List<MailAddress> recipients = transaction.recipients();
        for (int i = 0; i < recipients.size(); i++) {
            Optional<Reply> refused = refusedMail.isPresent() ? refusedMail : transaction.recipientReply(i).filter(reply -> !reply.positive());
            results.add(refused.isPresent() ? RecipientResult.of(recipients.get(i), refused.get(), remoteMta)
                : RecipientResult.deferred(recipients.get(i), "4.4.2", remoteMta, explanation));
        }
        return results;
    }

    /** The final dot went out and its reply never came: the server may have taken the message (RFC 1047). */
    static boolean mayBeDuplicated(Transaction transaction) {
        return transaction.isDotSent() && transaction.dot().isEmpty();
    }
}
