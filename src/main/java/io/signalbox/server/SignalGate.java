package io.signalbox.server;

import io.signalbox.protocol.ServerMessage;
import io.signalbox.protocol.TokenBucket;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The rate limits of one connection: a bucket of signals, a bucket of bytes, and a bucket of refusals
 * that says when a client is flooding. It lives as long as the connection, across resumes, so that
 * dropping the link does not refill anything.
 *
 * <p>After a refusal every signal is refused until the time the refusal named: a client that pipelined
 * several signals then hears one refusal per signal, all with the same time to wait, and none of the
 * later ones slips through ahead of the one it is to send again.
 */
final class SignalGate {
    private final TokenBucket signals;
    private final TokenBucket bytes;
    private final TokenBucket refusals;
    private final LongSupplier nanoTime;
    private final RateLimits limits;
    /** Whether a refusal holds the gate shut until {@code heldUntil}; set by a refusal, cleared when it passes; under this. */
    private boolean held;
    /** When the hold ends, by nanoTime; meaningful while held; under this. */
    private long heldUntil;

    /** A gate for a connection, or null when connections are not limited at all. */
    static SignalGate create(RateLimits limits, LongSupplier nanoTime) {
        return limits.limitsConnections() ? new SignalGate(limits, nanoTime) : null;
    }

    private SignalGate(RateLimits limits, LongSupplier nanoTime) {
        this.limits = limits;
        this.nanoTime = nanoTime;
        this.signals = limits.signalsPerSecond() > 0
                ? TokenBucket.perSecond(limits.signalsPerSecond(), limits.signalBurst(), nanoTime) : null;
        this.bytes = limits.bytesPerSecond() > 0
                ? TokenBucket.perSecond(limits.bytesPerSecond(), limits.byteBurst(), nanoTime) : null;
        this.refusals = limits.floodRefusals() > 0
                ? new TokenBucket(limits.floodRefusals(), limits.floodRefusals(), limits.floodWindow().toNanos(), nanoTime)
                : null;
    }

    /**
     * Lets a signal of {@code size} bytes through, taking its tokens, or refuses it.
     *
     * @return 0 when it may go; otherwise how many milliseconds (at least 1) to wait before sending again
     */
    synchronized long admit(long size) {
        long now = nanoTime.getAsLong();
        long wait;
        if (held && now - heldUntil < 0) {
            wait = heldUntil - now;
        } else {
            held = false;
            long forCount = signals == null ? 0 : signals.nanosUntil(1);
            long forBytes = bytes == null ? 0 : bytes.nanosUntil(size);
            wait = Math.max(forCount, forBytes);
            if (wait == 0) {
                if (signals != null) signals.take(1);
                if (bytes != null) bytes.take(size);
                return 0;
            }
            held = true;
            heldUntil = now + wait;
        }
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999));
    }

    /** Counts a refusal; true when it is one too many, and the connection is flooding. */
    synchronized boolean refusedTooOften() {
        return refusals != null && refusals.tryTake(1) != 0;
    }

    /**
     * The limits and what may be sent at once now, for the client to pace itself by. When the client
     * resumes, {@code resuming} lifts a hold: the hold keeps order among signals pipelined on the old
     * link, and none of those can arrive any more; the client starts again from what it is told here.
     */
    synchronized ServerMessage.Rates rates(boolean resuming) {
        if (resuming) held = false;
        return new ServerMessage.Rates(limits.signalsPerSecond(), limits.signalBurst(),
                limits.bytesPerSecond(), limits.byteBurst(),
                signals == null ? 0 : signals.available(),
                bytes == null ? 0 : bytes.available());
    }

    /** The words of a flooding close. */
    String floodReason() {
        return "flooding: more than " + limits.floodRefusals() + " signals refused for the rate within "
                + limits.floodWindow().toSeconds() + " s";
    }
}
