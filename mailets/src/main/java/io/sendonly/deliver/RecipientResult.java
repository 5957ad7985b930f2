package io.sendonly.deliver;

import org.apache.james.core.MailAddress;

import io.sendonly.smtp.Reply;

/**
 * What became of one recipient in one attempt, in DSN terms (RFC 3464): the status code, the remote MTA that
 * answered (empty when none did) and the diagnostic, an SMTP reply or our own explanation.
 */
public record RecipientResult(MailAddress recipient, Outcome outcome, String status, String remoteMta, String diagnostic) {
    public enum Outcome {
        DELIVERED,
        DEFERRED,
        FAILED
    }

    static RecipientResult of(MailAddress recipient, Reply reply, String remoteMta) {
        Outcome outcome = reply.positive() ? Outcome.DELIVERED : reply.transientFailure() ? Outcome.DEFERRED : Outcome.FAILED;
        return new RecipientResult(recipient, outcome, reply.status(), remoteMta, "smtp; " + reply);
    }

    static RecipientResult deferred(MailAddress recipient, String status, String remoteMta, String explanation) {
        return new RecipientResult(recipient, Outcome.DEFERRED, status, remoteMta, "x-sendonly; " + explanation);
    }

    static RecipientResult failed(MailAddress recipient, String status, String remoteMta, String explanation) {
        return new RecipientResult(recipient, Outcome.FAILED, status, remoteMta, "x-sendonly; " + explanation);
    }

    /** The diagnostic without its RFC 3464 type ({@code smtp; }, {@code x-sendonly; }), as mailq shows it. */
    public String explanation() {
        int type = diagnostic.indexOf("; ");
        return type < 0 ? diagnostic : diagnostic.substring(type + 2);
    }

    /** This deferral turned final: the queue lifetime is over (RFC 3463 5.4.7), the last error kept as diagnostic. */
    RecipientResult expired() {
        return new RecipientResult(recipient, Outcome.FAILED, "5.4.7", remoteMta, diagnostic);
    }
}
