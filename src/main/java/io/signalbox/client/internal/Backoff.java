package io.signalbox.client.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: the n-th retry (from 0) waits a uniformly random time between
 * zero and {@code min(cap, first * 2^n)}. Full jitter spreads the retries of many clients that lost
 * the same server at once, so they do not all come back in the same instant.
 *
 * @param first  the upper bound of the first wait
 * @param cap    the upper bound of any wait
 * @param random where the jitter comes from, injected so tests get known waits
 */
public record Backoff(Duration first, Duration cap, RandomGenerator random) {
    public Backoff {
        Objects.requireNonNull(first, "first");
        Objects.requireNonNull(cap, "cap");
        Objects.requireNonNull(random, "random");
        if (first.isNegative() || first.isZero()) throw new IllegalArgumentException("first must be positive");
        if (cap.compareTo(first) < 0) throw new IllegalArgumentException("cap must be at least first");
    }

    /** The upper bound of the wait before retry {@code retry} (0 for the first). */
    public Duration ceiling(int retry) {
        long firstNanos = first.toNanos();
        long capNanos = cap.toNanos();
        // Doubling past the cap overflows long in about 60 steps; stop doubling once it is reached.
        long bound = firstNanos;
        for (int i = 0; i < retry && bound < capNanos; i++) bound = Math.min(capNanos, bound * 2);
        return Duration.ofNanos(Math.min(bound, capNanos));
    }

    /** A random wait before retry {@code retry}, in [0, ceiling(retry)]. */
    public Duration delay(int retry) {
        long bound = ceiling(retry).toNanos();
        return Duration.ofNanos(random.nextLong(bound + 1));
    }
}
