package io.sendonly.deliver;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How {@link RouteDelivery} talks and retries, parsed once from its parameters.
 *
 * @param retrySchedule the delays before the 1st, 2nd... retry; the last one repeats
 * @param delayWarning  when the sender is told that the mail is still queued; empty for never
 */
record DeliverySettings(String heloName, int connectTimeoutMillis, int timeoutMillis, List<Duration> retrySchedule,
                        Duration maxQueueLifetime, Optional<Duration> delayWarning) {
    Duration delayBeforeRetry(int retry) {
        return retrySchedule.get(Math.min(retry, retrySchedule.size()) - 1);
    }
}
