package io.sendonly.events;

/** The state changes of a message, one {@link MessageEvent} each. */
public enum EventType {
    /** Accepted from an SMTP client (details: client) or from the maildrop (details: uid). */
    RECEIVED,
    /**
     * Its From domain cannot align under DMARC: no DKIM key of that organizational domain and no envelope sender of it
     * (details: from, sender, reason, action: accepted or refused).
     */
    UNALIGNED,
    /** DKIM-signed (details: keys, the d=/s= of each signature). */
    SIGNED,
    /** Written to the outgoing queue, to wait for its next attempt. */
    QUEUED,
    /** One recipient's attempt at one host (details: relay, tls, cipher; status and reply). */
    ATTEMPT,
    DELIVERED,
    /** A temporary failure: tried again later. */
    DEFERRED,
    /** A permanent failure. */
    BOUNCED,
    /** Deferred past the queue lifetime. */
    EXPIRED,
    /** Not attempted: the recipient is on the suppression list. */
    SUPPRESSED,
    /** A delivery status notification sent to the sender (details: report, to). */
    REPORTED
}
