package io.sendonly.events.log;

import java.time.Instant;
import java.util.Optional;

import io.sendonly.events.MessageEvent;

/**
 * What the trace looks for: the events matching every filter given, in time order, {@code limit} of them from
 * {@code offset}.
 */
public record EventQuery(Optional<String> messageId, Optional<String> queueId, Optional<String> recipient, Optional<Instant> since,
                         Optional<Instant> until, int offset, int limit) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    public EventQuery {
        if (offset < 0) {
            throw new IllegalArgumentException("offset: must be 0 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit: must be from 1 to " + MAX_LIMIT);
        }
    }

    boolean matches(MessageEvent event) {
        return messageId.map(event.messageId()::equals).orElse(true)
            && queueId.map(event.queueId()::equals).orElse(true)
            && recipient.map(wanted -> event.recipient().filter(wanted::equalsIgnoreCase).isPresent()).orElse(true)
            && since.map(start -> !event.time().isBefore(start)).orElse(true)
            && until.map(end -> event.time().isBefore(end)).orElse(true);
    }

    /**
     * Text every matching line holds, as JSON writes it (no character it would escape): spares parsing the lines that
     * cannot match.
     */
    Optional<String> needle() {
        return messageId.or(() -> queueId).filter(text -> text.chars().allMatch(c -> c >= 0x20 && c != '"' && c != '\\'));
    }
}
