package io.signalbox.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private final Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5), new SplittableRandom(7));

    @Test
    @DisplayName("the ceiling doubles from the first wait up to the cap, and stays there without overflowing")
    void ceilings() {
        assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofMillis(250));
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(backoff.ceiling(4)).isEqualTo(Duration.ofMillis(4000));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.ceiling(1000)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.ceiling(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    @DisplayName("each delay is a full-jitter draw between zero and the ceiling, and the draws spread")
    void fullJitter() {
        long low = 0;
        long high = 0;
        for (int i = 0; i < 2000; i++) {
            Duration d = backoff.delay(3);
            assertThat(d).isBetween(Duration.ZERO, Duration.ofMillis(2000));
            if (d.toMillis() < 500) low++;
            if (d.toMillis() > 1500) high++;
        }
        // Uniform on [0, 2000]: about a quarter below 500 ms and a quarter above 1500 ms.
        assertThat(low).isBetween(350L, 650L);
        assertThat(high).isBetween(350L, 650L);
    }

    @Test
    @DisplayName("the same seed gives the same waits, so runs can be replayed")
    void deterministic() {
        Backoff again = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5), new SplittableRandom(7));
        for (int i = 0; i < 10; i++) assertThat(again.delay(i)).isEqualTo(backoff.delay(i));
    }

    @Test
    @DisplayName("a cap below the first wait, or a zero first wait, is refused")
    void invalid() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), new SplittableRandom()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
