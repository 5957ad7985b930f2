package io.sendonly.deliver;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.sendonly.deliver.RecipientResult.Outcome;

/**
 * When a deferred recipient is tried again and when it is given up (James's {@code DelaysAndMaxRetry}, Postfix's
 * {@code maximal_queue_lifetime} and {@code delay_warning_time}). Whether one attempt delivered, failed or deferred a
 * recipient is {@link Trouble}'s decision; this policy turns a deferral final once the mail has been queued for
 * {@code maxQueueLifetime}.
 *
 * @param retrySchedule the delays before the 1st, 2nd... retry; the last one repeats
 * @param delayWarning  when the sender is told that the mail is still queued; empty for never
 */
record RetryPolicy(List<Duration> retrySchedule, Duration maxQueueLifetime, Optional<Duration> delayWarning) {
    RetryPolicy {
        if (retrySchedule.isEmpty()) {
            throw new IllegalArgumentException("a retry schedule needs at least one delay");
        }
        retrySchedule = List.copyOf(retrySchedule);
    }

    /** @param retry 1 for the first retry */
    Duration delayBeforeRetry(int retry) {
        return retrySchedule.get(Math.max(1, Math.min(retry, retrySchedule.size())) - 1);
    }

    /** The result as final: a deferral of a mail queued for {@code maxQueueLifetime} or longer fails (5.4.7). */
    RecipientResult settle(RecipientResult result, Duration queued) {
        return result.outcome() == Outcome.DEFERRED && queued.compareTo(maxQueueLifetime) >= 0 ? result.expired() : result;
    }

    /** Whether the sender of a mail still deferred after {@code queued} is told now (once per mail). */
    boolean warns(Duration queued, boolean warnedBefore) {
        return !warnedBefore && delayWarning.filter(delay -> queued.compareTo(delay) >= 0).isPresent();
    }
}
