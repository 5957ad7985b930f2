package io.sendonly.smtp;

import java.util.List;

/**
 * One mail transaction as {@link SmtpSession#send} sees it: the recipients to give, and where each reply is recorded
 * as it arrives, so that a transaction cut short (disconnect, timeout, malformed reply) still says how far it got.
 */
public interface TransactionRecord {
    /** The recipients' addresses, without angle brackets, in the order RCPT gives them. */
    List<String> forwardPaths();

    void mail(Reply reply);

    /** The reply to the next RCPT, in {@link #forwardPaths()} order. */
    void recipient(Reply reply);

    void data(Reply reply);

    /** The message and its final dot are written: from now on the server may take it, whatever comes back. */
    void dotSent();

    void dot(Reply reply);
}
