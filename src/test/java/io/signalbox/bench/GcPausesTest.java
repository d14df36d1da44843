package io.signalbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class GcPausesTest {
    // As a JDK 25 server writes them with -Xlog:gc:file=F:timemillis (serial, then G1).
    private static final List<String> LOG = List.of(
            "[1795880411902ms] Using Serial",
            "[1795880412328ms] GC(0) Pause Young (Allocation Failure) 7M->2M(63M) 11.019ms",
            "[1795880412490ms] GC(1) Pause Young (Allocation Failure) 9M->4M(63M) 16.289ms",
            "[1795880412559ms] GC(2) Pause Full (Metadata GC Threshold) 57M->11M(366M) 64.132ms",
            "[1795880413300ms] GC(3) Pause Young (Normal) (G1 Evacuation Pause) 15M->3M(64M) 2.5ms",
            "[1795880413400ms] GC(4) Concurrent Mark Cycle 12.000ms");

    @Test
    @DisplayName("counts the pauses that ended within the phase, their sum and the longest")
    void withinThePhase() {
        GcPauses p = GcPauses.between(LOG, 1795880412400L, 1795880413300L);

        assertThat(p.count()).isEqualTo(3);
        assertThat(p.totalMillis()).isCloseTo(16.289 + 64.132 + 2.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(p.maxMillis()).isEqualTo(64.132);
    }

    @Test
    @DisplayName("a phase without pauses has none, and concurrent work is not a pause")
    void nothingOutside() {
        assertThat(GcPauses.between(LOG, 1795880413301L, 1795880419999L)).isEqualTo(new GcPauses(0, 0, 0));
        assertThat(GcPauses.between(LOG, 0, Long.MAX_VALUE).count()).isEqualTo(4);
    }
}
