package io.signalbox.server.auth;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that stands still until a test steps it, so expiry is tested without sleeping. */
final class StepClock extends Clock {
    /** The time this clock shows; changed only by the test, through {@link #step} and {@link #set}. */
    private Instant now;

    StepClock(Instant start) {
        this.now = start;
    }

    /** Moves the time forward by {@code by}. */
    void step(Duration by) {
        now = now.plus(by);
    }

    /** Sets the time to {@code to}. */
    void set(Instant to) {
        now = to;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        // Only instants matter to the code under test.
        return this;
    }
}
