package io.signalbox.server;

import io.signalbox.protocol.Limits;
import java.time.Duration;
import java.util.Objects;

/**
 * How fast clients may send. Each WebSocket connection has two token buckets, one of signals and one of
 * bytes (a signal's type and data in UTF-8); a signal over either is refused with
 * {@code RATE_LIMITED} and the time after which to send again, and the socket stays open. A connection
 * that keeps being refused is flooding: once more than {@code floodRefusals} of its signals were refused
 * within about {@code floodWindow} (a bucket of that many refusals, refilled over the window), it is
 * closed with 4004. Signals through the REST API share one bucket per API key; over it the call is
 * answered 429. A rate of 0 leaves that dimension unlimited.
 *
 * @param signalsPerSecond     signals per second per connection; 0 for no limit
 * @param signalBurst          the most signals a connection may send at once
 * @param bytesPerSecond       bytes of signal type and data per second per connection; 0 for no limit
 * @param byteBurst            the most such bytes at once; at least one largest signal (8320 bytes)
 * @param floodRefusals        refusals a connection may collect within the window before it is closed
 * @param floodWindow          the window over which those refusals are forgiven
 * @param restSignalsPerSecond REST signals per second per API key; 0 for no limit
 * @param restSignalBurst      the most REST signals at once per API key
 */
public record RateLimits(long signalsPerSecond, long signalBurst, long bytesPerSecond, long byteBurst,
                         int floodRefusals, Duration floodWindow, long restSignalsPerSecond, long restSignalBurst) {

    /** The bytes of the largest valid signal: its type and data at their limits. */
    public static final int LARGEST_SIGNAL_BYTES = Limits.MAX_TYPE_LENGTH + Limits.MAX_DATA_BYTES;

    private static final RateLimits DEFAULTS = new RateLimits(100, 500, 1024 * 1024, 4 * 1024 * 1024,
            100, Duration.ofSeconds(10), 100, 500);
    private static final RateLimits UNLIMITED = new RateLimits(0, 0, 0, 0, 0, Duration.ofSeconds(10), 0, 0);

    public RateLimits {
        requireRate(signalsPerSecond, signalBurst, "signal", 1);
        requireRate(bytesPerSecond, byteBurst, "byte", LARGEST_SIGNAL_BYTES);
        requireRate(restSignalsPerSecond, restSignalBurst, "REST signal", 1);
        if (floodRefusals < 0) throw new IllegalArgumentException("floodRefusals must not be negative, not " + floodRefusals);
        Objects.requireNonNull(floodWindow, "floodWindow");
        if (floodWindow.isNegative() || floodWindow.isZero()) throw new IllegalArgumentException("floodWindow must be positive");
    }

    /**
     * Generous for people chatting, and for programs that send in bursts: 100 signals a second with
     * bursts of 500, 1 MiB a second with bursts of 4 MiB; flooding after 100 refusals within 10 s;
     * REST signals 100 a second with bursts of 500 per API key.
     */
    public static RateLimits defaults() {
        return DEFAULTS;
    }

    /** No limit on anything, for load tests and chaos runs, where the limits would be what is measured. */
    public static RateLimits unlimited() {
        return UNLIMITED;
    }

    /** Signals per second and burst per connection; a rate of 0 (with a burst of 0) for no limit. */
    public RateLimits withSignals(long perSecond, long burst) {
        return new RateLimits(perSecond, burst, bytesPerSecond, byteBurst, floodRefusals, floodWindow, restSignalsPerSecond, restSignalBurst);
    }

    /** Bytes per second and burst per connection; a rate of 0 (with a burst of 0) for no limit. */
    public RateLimits withBytes(long perSecond, long burst) {
        return new RateLimits(signalsPerSecond, signalBurst, perSecond, burst, floodRefusals, floodWindow, restSignalsPerSecond, restSignalBurst);
    }

    /** Closes a connection once more than {@code refusals} of its signals were refused within about {@code window}; 0 never. */
    public RateLimits withFlood(int refusals, Duration window) {
        return new RateLimits(signalsPerSecond, signalBurst, bytesPerSecond, byteBurst, refusals, window, restSignalsPerSecond, restSignalBurst);
    }

    /** REST signals per second and burst per API key; a rate of 0 (with a burst of 0) for no limit. */
    public RateLimits withRest(long perSecond, long burst) {
        return new RateLimits(signalsPerSecond, signalBurst, bytesPerSecond, byteBurst, floodRefusals, floodWindow, perSecond, burst);
    }

    /** Whether WebSocket signals are limited at all (by count or by bytes). */
    public boolean limitsConnections() {
        return signalsPerSecond > 0 || bytesPerSecond > 0;
    }

    private static void requireRate(long perSecond, long burst, String what, long minBurst) {
        if (perSecond < 0) throw new IllegalArgumentException("the " + what + " rate must not be negative, not " + perSecond);
        if (perSecond == 0) {
            if (burst != 0) throw new IllegalArgumentException("a " + what + " burst needs a " + what + " rate; give 0 for both to set no limit");
            return;
        }
        if (burst < minBurst) {
            throw new IllegalArgumentException("the " + what + " burst must be at least " + minBurst
                    + (minBurst > 1 ? " (one largest signal)" : "") + ", not " + burst);
        }
        if (burst > 1_000_000_000L) throw new IllegalArgumentException("the " + what + " burst must be at most 1000000000, not " + burst);
    }
}
