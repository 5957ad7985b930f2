package io.sendonly.events.webhooks;

import java.time.Duration;

/** How long a webhook waits after consecutive failures: doubling from {@code first}, never more than {@code cap}. */
public record Backoff(Duration first, Duration cap) {
    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

    public Backoff {
        if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff " + first + ".." + cap + ": expected 0 < first <= cap");
        }
    }

    /** @param failures consecutive failures so far, at least 1 */
    public Duration after(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures " + failures + " < 1");
        }
        Duration delay = first;
        for (int failure = 1; failure < failures && delay.compareTo(cap) < 0; failure++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(cap) <= 0 ? delay : cap;
    }
}
