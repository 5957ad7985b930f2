package io.sendonly.deliver;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLException;

import org.apache.james.core.MailAddress;

import io.sendonly.deliver.RecipientResult.Outcome;
import io.sendonly.smtp.ProtocolViolation;
import io.sendonly.smtp.Reply;

/**
 * What each recipient's outcome is after one attempt at one host, decided here alone (Postfix's {@code smtp_trouble.c}):
 * <ul>
 *   <li>before a transaction (connect, greeting, EHLO, STARTTLS, AUTH), any trouble defers every recipient: the next
 *       host or the next attempt may do better ({@link #notStarted});</li>
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

    /** A host that will not let a transaction start: its reply and what we asked, or our own status and reason. */
    static final class HostRefused extends Exception {
        private final String status;
        /** RFC 3464 diagnostic: {@code smtp; } and the host's reply, or {@code x-sendonly; } and our reason. */
        private final String diagnostic;

        /** @param context what was refused, e.g. {@code host mx[192.0.2.1]:25 refused our EHLO} */
        HostRefused(Reply reply, String context) {
            super(reply + " (" + context + ")");
            this.status = "4" + reply.status().substring(1);
            this.diagnostic = "smtp; " + getMessage();
        }

        /** @param status the enhanced status code, e.g. {@code 4.7.4} */
        HostRefused(String status, String explanation) {
            super(explanation);
            this.status = status;
            this.diagnostic = "x-sendonly; " + explanation;
        }
    }

    /**
     * Every recipient deferred, as nothing was sent before {@code cause}: a {@link HostRefused}, a TLS failure, a
     * timeout, a connection lost or never made, or our own error. A refusal's reply goes in its 4xx form.
     *
     * @param connected whether the connection was made; a failure to connect names no remote MTA
     */
    static List<RecipientResult> notStarted(List<MailAddress> recipients, Exception cause, boolean connected, String remoteMta,
                                            String host) {
        if (cause instanceof HostRefused refused) {
            return recipients.stream()
                .map(recipient -> new RecipientResult(recipient, Outcome.DEFERRED, refused.status, remoteMta, refused.diagnostic))
                .toList();
        }
        String status;
        String explanation;
        String mta = remoteMta;
        if (cause instanceof SSLException) {
            status = "4.7.5";
            explanation = "TLS with " + host + " failed: " + cause.getMessage();
        } else if (cause instanceof SocketTimeoutException) {
            status = "4.4.2";
            explanation = "conversation with " + host + " timed out";
        } else if (cause instanceof IOException && connected) {
            status = "4.4.2";
            explanation = "lost connection with " + host + ": " + cause.getMessage();
        } else if (cause instanceof IOException) {
            status = "4.4.1";
            explanation = "connect to " + host + ": " + cause.getMessage();
            mta = "";
        } else {
            status = "4.3.0";
            explanation = "internal error talking to " + host;
        }
        String answeredBy = mta;
        return recipients.stream().map(recipient -> RecipientResult.deferred(recipient, status, answeredBy, explanation)).toList();
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
