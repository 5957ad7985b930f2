package io.sendonly.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A UTC clock the test moves forward: stopped at a given instant, or {@link #running()} from the system's time. */
public final class SettableClock extends Clock {
    private final Clock base;
    private volatile Duration shift = Duration.ZERO;

    public SettableClock(Instant now) {
        this(Clock.fixed(now, ZoneOffset.UTC));
    }

    private SettableClock(Clock base) {
        this.base = base;
    }

    /** The system's time, plus what the test adds: a day can pass at once while time keeps running. */
    public static SettableClock running() {
        return new SettableClock(Clock.systemUTC());
    }

    public void advance(Duration duration) {
        shift = shift.plus(duration);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("UTC only");
    }

    @Override
    public Instant instant() {
        return base.instant().plus(shift);
    }
}
