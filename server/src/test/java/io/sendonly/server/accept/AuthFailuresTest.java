package io.sendonly.server.accept;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.google.common.net.InetAddresses;

import io.sendonly.server.testing.SettableClock;

class AuthFailuresTest {
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private static final Duration DELAY = Duration.ofSeconds(1);
    private static final InetAddress CLIENT = InetAddresses.forString("192.0.2.1");
    private static final InetAddress OTHER = InetAddresses.forString("2001:db8::1");

    private final SettableClock clock = new SettableClock(Instant.parse("2026-11-30T09:00:00Z"));
    private final AtomicInteger counted = new AtomicInteger();
    private final AuthFailures failures = new AuthFailures(clock, 3, WINDOW, DELAY, counted::incrementAndGet);

    @Test
    void everyFailureShouldBeToldEvenPastTheLimit() {
        for (int i = 0; i < 5; i++) {
            failures.recordFailure(CLIENT);
        }

        assertThat(counted).hasValue(5);
    }

    @Test
    void theNthFailureShouldWaitNTimesTheDelay() {
        assertThat(failures.recordFailure(CLIENT)).isEqualTo(Duration.ofSeconds(1));
        assertThat(failures.recordFailure(CLIENT)).isEqualTo(Duration.ofSeconds(2));
        assertThat(failures.recordFailure(CLIENT)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void theWaitShouldStopGrowingAtTheLimit() {
        for (int i = 0; i < 5; i++) {
            failures.recordFailure(CLIENT);
        }

        assertThat(failures.recordFailure(CLIENT)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void aClientShouldBeLockedOutAtTheLimitAndNoOtherClient() {
        failures.recordFailure(CLIENT);
        failures.recordFailure(CLIENT);
        assertThat(failures.lockedOut(CLIENT)).isFalse();

        failures.recordFailure(CLIENT);

        assertThat(failures.lockedOut(CLIENT)).isTrue();
        assertThat(failures.lockedOut(OTHER)).isFalse();
    }

    @Test
    void theLockoutShouldEndWhenTheOldestFailureLeavesTheWindow() {
        failures.recordFailure(CLIENT);
        clock.advance(Duration.ofMinutes(5));
        failures.recordFailure(CLIENT);
        failures.recordFailure(CLIENT);

        clock.advance(Duration.ofMinutes(4));
        assertThat(failures.lockedOut(CLIENT)).isTrue();
        clock.advance(Duration.ofMinutes(1));
        assertThat(failures.lockedOut(CLIENT)).isFalse();
    }

    @Test
    void failuresOutsideTheWindowShouldNotLengthenTheWait() {
        failures.recordFailure(CLIENT);
        failures.recordFailure(CLIENT);
        clock.advance(WINDOW);

        assertThat(failures.recordFailure(CLIENT)).isEqualTo(DELAY);
    }
}
