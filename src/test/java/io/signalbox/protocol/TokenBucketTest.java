package io.signalbox.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The token bucket on fake time: bursts, refill, waits, idle spells and time that goes back. */
class TokenBucketTest {
    private static final long MS = 1_000_000L;
    private final AtomicLong now = new AtomicLong(5_000 * MS);

    @Test
    @DisplayName("a full bucket lets a burst through, then refuses with the exact wait for the next token")
    void burstThenWait() {
        TokenBucket bucket = TokenBucket.perSecond(10, 3, now::get);
        assertThat(bucket.tryTake(1)).isZero();
        assertThat(bucket.tryTake(1)).isZero();
        assertThat(bucket.tryTake(1)).isZero();
        assertThat(bucket.tryTake(1)).as("100 ms per token at 10 a second").isEqualTo(100 * MS);
        assertThat(bucket.available()).isZero();
        now.addAndGet(99 * MS);
        assertThat(bucket.tryTake(1)).isEqualTo(MS);
        now.addAndGet(MS);
        assertThat(bucket.tryTake(1)).isZero();
        assertThat(bucket.tryTake(1)).isEqualTo(100 * MS);
    }

    @Test
    @DisplayName("a refusal takes nothing, and fractions of a token add up exactly")
    void fractions() {
        TokenBucket bucket = new TokenBucket(2, 1, 3 * MS, now::get); // a token every 3 ms
        bucket.take(2);
        now.addAndGet(MS);
        assertThat(bucket.tryTake(1)).isEqualTo(2 * MS);
        now.addAndGet(MS);
        assertThat(bucket.tryTake(1)).isEqualTo(MS);
        now.addAndGet(MS);
        assertThat(bucket.tryTake(1)).isZero();
    }

    @Test
    @DisplayName("a long idle spell fills the bucket to its capacity and no further, without overflow")
    void idleFillsToCapacity() {
        TokenBucket bucket = TokenBucket.perSecond(1_000_000, 4_000_000, now::get);
        bucket.take(4_000_000);
        now.addAndGet(Long.MAX_VALUE / 2);
        assertThat(bucket.available()).isEqualTo(4_000_000);
        assertThat(bucket.tryTake(4_000_000)).isZero();
        assertThat(bucket.available()).isZero();
    }

    @Test
    @DisplayName("time that goes back adds nothing and takes nothing away")
    void timeBackwards() {
        TokenBucket bucket = TokenBucket.perSecond(10, 5, now::get);
        bucket.take(3);
        now.addAndGet(-10_000 * MS);
        assertThat(bucket.available()).isEqualTo(2);
        now.addAndGet(10_000 * MS + 100 * MS);
        assertThat(bucket.available()).as("only time past the latest reading counts: 100 ms, one token").isEqualTo(3);
    }

    @Test
    @DisplayName("take may overdraw, and the debt is paid by the refill before anything else goes")
    void overdraw() {
        TokenBucket bucket = TokenBucket.perSecond(10, 2, now::get);
        bucket.take(2);
        bucket.take(1);
        assertThat(bucket.available()).isZero();
        assertThat(bucket.nanosUntil(1)).isEqualTo(200 * MS);
    }

    @Test
    @DisplayName("a cost over the capacity waits for a full bucket rather than forever")
    void costOverCapacity() {
        TokenBucket bucket = TokenBucket.perSecond(10, 2, now::get);
        bucket.take(2);
        assertThat(bucket.nanosUntil(50)).isEqualTo(200 * MS);
    }

    @Test
    @DisplayName("limitTo lowers what is there, never raises it")
    void limitTo() {
        TokenBucket bucket = TokenBucket.perSecond(10, 8, now::get);
        bucket.limitTo(3);
        assertThat(bucket.available()).isEqualTo(3);
        bucket.limitTo(7);
        assertThat(bucket.available()).isEqualTo(3);
    }

    @Test
    @DisplayName("nonsense settings are refused in words")
    void badSettings() {
        assertThatThrownBy(() -> TokenBucket.perSecond(0, 1, now::get)).hasMessageContaining("refill");
        assertThatThrownBy(() -> TokenBucket.perSecond(1, 0, now::get)).hasMessageContaining("capacity");
        assertThatThrownBy(() -> new TokenBucket(1, 1, 0, now::get)).hasMessageContaining("periodNanos");
    }
}
