package io.sendonly.events;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One state change of one message, as the event log, webhooks, the trace, metrics and the suppression list see it.
 *
 * @param id unique, for receivers to drop the duplicates an at-least-once delivery can give
 * @param messageId the Message-ID header without its angle brackets; empty when the message has none
 * @param queueId James's mail name, the id mailq and postcat show
 * @param recipient empty for the events of the whole message (received, signed, queued)
 * @param status the RFC 3463 enhanced status code, where the event has one
 * @param bounceClass why a recipient was not delivered (deferred, bounced, expired, suppressed)
 * @param details what else the type carries (client, uid, keys, relay, tls, cipher, reply, report), never a secret
 */
public record MessageEvent(String id, Instant time, EventType type, String messageId, String queueId, Optional<String> recipient,
                           Optional<String> status, Optional<BounceClass> bounceClass, Map<String, String> details) {
    public MessageEvent {
        Objects.requireNonNull(id);
        Objects.requireNonNull(time);
        Objects.requireNonNull(type);
        Objects.requireNonNull(messageId);
        Objects.requireNonNull(queueId);
        Objects.requireNonNull(recipient);
        Objects.requireNonNull(status);
        Objects.requireNonNull(bounceClass);
        details = Map.copyOf(details);
    }

    /** An event of the whole message. */
    public static MessageEvent of(Instant time, EventType type, String messageId, String queueId, Map<String, String> details) {
        return new MessageEvent(UUID.randomUUID().toString(), time, type, messageId, queueId, Optional.empty(), Optional.empty(),
            Optional.empty(), details);
    }

    /** An event of one recipient; its bounce class read from the status and the reply (the details' {@code reply}). */
    public static MessageEvent of(Instant time, EventType type, String messageId, String queueId, String recipient, String status,
                                  Map<String, String> details) {
        Optional<BounceClass> bounceClass = type == EventType.DELIVERED || type == EventType.ATTEMPT && status.startsWith("2")
            ? Optional.empty() : BounceClass.of(status, details.getOrDefault("reply", ""));
        return new MessageEvent(UUID.randomUUID().toString(), time, type, messageId, queueId, Optional.of(recipient), Optional.of(status),
            bounceClass, details);
    }
}
