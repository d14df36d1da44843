package io.signalbox.protocol;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A token bucket: it holds at most {@code capacity} tokens and gains {@code refill} tokens every
 * {@code periodNanos}, continuously. Taking tokens that are not there is refused with the time until
 * they will be.
 *
 * <p>It allocates nothing after construction (one is checked for every signal), keeps fractions of a
 * token exactly (tokens are counted in units of 1/{@code periodNanos}), and reads time only from the
 * given source, so that tests step it without sleeping. Time that goes backwards adds nothing. All
 * methods are synchronized: a lock without contention is cheap, and the REST API's bucket is shared by
 * many threads.
 */
public final class TokenBucket {
    private final long capacity;
    private final long refill;
    private final long periodNanos;
    private final LongSupplier nanoTime;
    /** The most this bucket holds, in units; {@code capacity * periodNanos}. */
    private final long fullUnits;
    /** How long an empty bucket takes to fill; longer idle spells are counted as this, so nothing overflows. */
    private final long fillNanos;
    /** The tokens held, in units of 1/periodNanos of a token; changed by take and refill, under this. */
    private long units;
    /** When the bucket was last refilled, by {@code nanoTime}; changed by refill, under this. */
    private long refilledAt;

    /**
     * A full bucket.
     *
     * @param capacity    the most tokens it holds (its burst), at least 1
     * @param refill      the tokens it gains every period, at least 1
     * @param periodNanos the period, in nanoseconds, at least 1
     * @param nanoTime    the time source, such as {@code System::nanoTime}
     */
    public TokenBucket(long capacity, long refill, long periodNanos, LongSupplier nanoTime) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        if (refill < 1) throw new IllegalArgumentException("refill must be at least 1, not " + refill);
        if (periodNanos < 1) throw new IllegalArgumentException("periodNanos must be at least 1, not " + periodNanos);
        this.capacity = capacity;
        this.refill = refill;
        this.periodNanos = periodNanos;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.fullUnits = Math.multiplyExact(capacity, periodNanos);
        this.fillNanos = ceilDiv(fullUnits, refill);
        this.units = fullUnits;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** A bucket of {@code capacity} tokens gaining {@code perSecond} every second. */
    public static TokenBucket perSecond(long perSecond, long capacity, LongSupplier nanoTime) {
        return new TokenBucket(capacity, perSecond, 1_000_000_000L, nanoTime);
    }

    /**
     * Takes {@code n} tokens when they are there. A cost over the capacity costs the whole capacity, so
     * that it waits for a full bucket instead of forever.
     *
     * @return 0 when they were taken; otherwise nothing is taken and this is how many nanoseconds
     *         until they will be there
     */
    public synchronized long tryTake(long n) {
        long wait = nanosUntil(n);
        if (wait == 0) units -= need(n);
        return wait;
    }

    /** Takes {@code n} tokens even when they are not all there; the bucket then owes them (goes below 0). */
    public synchronized void take(long n) {
        refill();
        units -= need(n);
    }

    /** How many nanoseconds until {@code n} tokens are there; 0 when they are now. Takes nothing. */
    public synchronized long nanosUntil(long n) {
        refill();
        long missing = need(n) - units;
        return missing <= 0 ? 0 : ceilDiv(missing, refill);
    }

    /** The whole tokens there now (0 when the bucket owes some). */
    public synchronized long available() {
        refill();
        return Math.max(0, units / periodNanos);
    }

    /** Empties the bucket to {@code tokens} whole tokens, when it holds more: a lower bound learned elsewhere. */
    public synchronized void limitTo(long tokens) {
        refill();
        long cap = Math.multiplyExact(Math.max(0, Math.min(tokens, capacity)), periodNanos);
        if (units > cap) units = cap;
    }

    public long capacity() {
        return capacity;
    }

    private long need(long n) {
        return Math.multiplyExact(Math.max(0, Math.min(n, capacity)), periodNanos);
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        long elapsed = now - refilledAt;
        if (elapsed <= 0) return; // time stood still or went back: nothing is gained, nothing is lost
        refilledAt = now;
        if (elapsed >= fillNanos) {
            units = fullUnits;
            return;
        }
        // elapsed < fillNanos, so elapsed * refill < fullUnits + refill: no overflow.
        units = Math.min(fullUnits, units + elapsed * refill);
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    @Override
    public synchronized String toString() {
        return "TokenBucket[" + units / (double) periodNanos + " of " + capacity + ", +" + refill + " per "
                + periodNanos + " ns]";
    }
}
