package io.signalbox.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BenchCarriersTest {
    @Test
    @DisplayName("a bench run gets four virtual-thread carriers per processor")
    void benchGetsFourPerProcessor() {
        assertThat(Main.benchCarriers(new String[] {"bench", "storm", "--clients", "1000"}, 1, null)).isEqualTo("4");
        assertThat(Main.benchCarriers(new String[] {"bench", "direct"}, 2, null)).isEqualTo("8");
    }

    @Test
    @DisplayName("the user's own choice and every other command are left alone")
    void othersLeftAlone() {
        assertThat(Main.benchCarriers(new String[] {"bench", "storm"}, 1, "2")).isNull();
        assertThat(Main.benchCarriers(new String[] {"server", "--port", "0"}, 1, null)).isNull();
        assertThat(Main.benchCarriers(new String[] {}, 1, null)).isNull();
        assertThat(Main.benchCarriers(new String[] {"soak", "bench"}, 1, null)).isNull();
    }
}
