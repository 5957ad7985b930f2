package io.sendonly.server.accept;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed AUTH per client address within a sliding window: the reply to the n-th failure waits n times the delay,
 * and a client with {@code limit} failures within the window is locked out until the oldest of them is older than
 * the window. At most {@code limit} failures are kept per client, and clients with none left are forgotten.
 */
final class AuthFailures {
    private static final Logger LOGGER = LoggerFactory.getLogger(AuthFailures.class);
    /** Past this many clients, each failure also forgets the clients whose failures all left the window. */
    private static final int SWEEP_ABOVE = 1000;

    private final Clock clock;
    private final int limit;
    private final Duration window;
    private final Duration delay;
    private final Runnable onFailure;
    private final Map<InetAddress, Deque<Instant>> failures = new ConcurrentHashMap<>();

    /** @param onFailure told of every failure, for the metrics */
    AuthFailures(Clock clock, int limit, Duration window, Duration delay, Runnable onFailure) {
        this.clock = clock;
        this.onFailure = onFailure;
        this.limit = limit;
        this.window = window;
        this.delay = delay;
    }

    /** Counts one failure of {@code client}; returns how long its reply waits. */
    Duration recordFailure(InetAddress client) {
        onFailure.run();
        Instant now = clock.instant();
        AtomicInteger count = new AtomicInteger();
        failures.compute(client, (address, times) -> {
            Deque<Instant> recent = times == null ? new ArrayDeque<>() : times;
            forgetOld(recent, now);
            recent.addLast(now);
            if (recent.size() > limit) {
                recent.removeFirst();
            }
            count.set(recent.size());
            return recent;
        });
        if (count.get() == limit) {
            LOGGER.warn("AUTH locked out for {}: {} failed attempts within {}", client.getHostAddress(), limit, window);
        }
        if (failures.size() > SWEEP_ABOVE) {
            failures.keySet().forEach(address -> failures.computeIfPresent(address, (key, times) -> forgetOld(times, now)));
        }
        return delay.multipliedBy(count.get());
    }

    boolean lockedOut(InetAddress client) {
        Deque<Instant> recent = failures.computeIfPresent(client, (address, times) -> forgetOld(times, clock.instant()));
        return recent != null && recent.size() >= limit;
    }

    /** @return the failures left, or null when none is: a null value removes the client from the map. */
    private Deque<Instant> forgetOld(Deque<Instant> times, Instant now) {
        Instant oldest = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(oldest)) {
            times.removeFirst();
        }
        return times.isEmpty() ? null : times;
    }
}
