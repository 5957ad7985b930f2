package io.sendonly.events.webhooks;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import io.sendonly.events.EventType;

/**
 * One receiver of events, as {@code <webhook>} in events.xml declares it. The secret stays in here: it signs and is
 * never printed, {@link #toString()} included.
 *
 * @param name names the spool folder {@code var/webhooks/NAME/} and the log lines
 * @param events the types it receives; all of them when the setting is absent
 */
public record Webhook(String name, URI url, Secret secret, Set<EventType> events, Duration timeout) {
    public Webhook {
        events = Set.copyOf(events.isEmpty() ? EnumSet.allOf(EventType.class) : events);
    }

    public boolean wants(EventType type) {
        return events.contains(type);
    }

    /** An HMAC key that no log line, exception or API answer shows. */
    public static final class Secret {
        private final byte[] key;

        public Secret(byte[] key) {
            this.key = key.clone();
        }

        public byte[] key() {
            return key.clone();
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Secret secret && Arrays.equals(key, secret.key);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(key);
        }

        @Override
        public String toString() {
            return "(secret)";
        }
    }
}
