package io.signalbox.client.internal;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.Limits;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.protocol.TokenBucket;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The server's rate limits of this connection, as the client models them: the same buckets, starting
 * from what the server said may be sent at once. The model never holds more than the server's buckets
 * do (the server's refill while a signal travels only adds to them), so a signal the model lets go is
 * not refused for the rate. Used under the session's lock.
 */
final class Pacer {
    private final TokenBucket signals;
    private final TokenBucket bytes;

    private Pacer(TokenBucket signals, TokenBucket bytes) {
        this.signals = signals;
        this.bytes = bytes;
    }

    /** The model of {@code rates}, or null when the server sets no limits (or said nothing of them). */
    static Pacer of(ServerMessage.Rates rates, Clock clock) {
        if (rates == null) return null;
        LongSupplier nanoTime = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        TokenBucket signals = bucket(rates.signalsPerSecond(), rates.signalBurst(), rates.signalsAvailable(), nanoTime);
        TokenBucket bytes = bucket(rates.bytesPerSecond(), rates.byteBurst(), rates.bytesAvailable(), nanoTime);
        return signals == null && bytes == null ? null : new Pacer(signals, bytes);
    }

    private static TokenBucket bucket(long perSecond, long burst, long available, LongSupplier nanoTime) {
        if (perSecond <= 0 || burst <= 0) return null;
        TokenBucket bucket = TokenBucket.perSecond(perSecond, burst, nanoTime);
        bucket.limitTo(available);
        return bucket;
    }

    /** How many milliseconds until the server will take this signal; 0 when it will now. */
    long millisUntil(ClientMessage.SendSignal signal) {
        long wait = Math.max(signals == null ? 0 : signals.nanosUntil(1),
                bytes == null ? 0 : bytes.nanosUntil(size(signal)));
        return wait == 0 ? 0 : TimeUnit.NANOSECONDS.toMillis(wait + 999_999);
    }

    /** Counts a signal that goes now, whether or not the model had room for it. */
    void take(ClientMessage.SendSignal signal) {
        if (signals != null) signals.take(1);
        if (bytes != null) bytes.take(size(signal));
    }

    /** What the server counts of a signal: its type and data in UTF-8. */
    private static long size(ClientMessage.SendSignal signal) {
        return Limits.utf8Length(signal.type()) + Limits.utf8Length(signal.data());
    }
}
