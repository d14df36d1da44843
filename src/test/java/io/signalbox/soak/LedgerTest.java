package io.signalbox.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signalbox.chaos.SignalTag;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The soak's streaming check, fed by hand: 5 clients in 2 sessions (c0..c2, then c3..c4). */
class LedgerTest {
    private final Ledger.Layout layout = new Ledger.Layout(5, 2);
    private Ledger ledger;

    @BeforeEach
    void ids() {
        ledger = new Ledger(layout);
        ledger.connectionIds(List.of("A", "B", "C", "D", "E"));
    }

    @Test
    @DisplayName("the layout puts clients in blocks, the first sessions one larger")
    void layout() {
        assertThat(layout.size(0)).isEqualTo(3);
        assertThat(layout.size(1)).isEqualTo(2);
        assertThat(layout.first(1)).isEqualTo(3);
        assertThat(List.of(0, 1, 2, 3, 4).stream().map(layout::sessionOf).toList()).containsExactly(0, 0, 0, 1, 1);
        Ledger.Layout even = new Ledger.Layout(1000, 10);
        assertThat(even.sessionOf(999)).isEqualTo(9);
        assertThat(even.first(9)).isEqualTo(900);
        assertThatThrownBy(() -> new Ledger.Layout(3, 2)).hasMessageContaining("at least 2 each");
    }

    @Test
    @DisplayName("every acknowledged signal received once and in order by everyone it was addressed to: clean")
    void clean() {
        SignalTag all = ack(ledger.open(0, Ledger.EVERYONE, true));
        SignalTag one = ack(ledger.open(0, 2, false));
        SignalTag rest = ack(ledger.open(ledger.restStream(0), 1, false));
        for (int r = 0; r < 3; r++) ledger.received(r, all.data() + " filler", "A", false);
        ledger.received(2, one.data(), "A", true);
        ledger.received(1, rest.data(), null, true);

        Ledger.Findings found = ledger.findings();

        assertThat(found.clean()).as(found.problems().toString()).isTrue();
        assertThat(found.expected()).isEqualTo(5);
        assertThat(found.delivered()).isEqualTo(5);
        assertThat(found.clientSends()).isEqualTo(2);
        assertThat(found.restSends()).isEqualTo(1);
    }

    @Test
    @DisplayName("a signal received twice is doubled, one received after a later one is reordered, one never received is lost")
    void doubledReorderedLost() {
        SignalTag first = ack(ledger.open(3, Ledger.EVERYONE, true));
        SignalTag second = ack(ledger.open(3, Ledger.EVERYONE, true));
        SignalTag third = ack(ledger.open(3, 4, true));
        ledger.received(4, second.data(), "D", false);
        ledger.received(4, first.data(), "D", false);
        ledger.received(4, first.data(), "D", false);
        ledger.received(3, first.data(), "D", false);
        ledger.received(3, second.data(), "D", false);

        Ledger.Findings found = ledger.findings();

        assertThat(found.reordered()).isEqualTo(1);
        assertThat(found.doubled()).isEqualTo(1);
        assertThat(found.lost()).as("the third never reached c4").isEqualTo(1);
        assertThat(found.delivered()).isEqualTo(4);
        assertThat(found.expected()).isEqualTo(5);
        assertThat(found.clean()).isFalse();
        assertThat(found.problems()).anyMatch(p -> p.contains(third + " never reached c4"));
    }

    @Test
    @DisplayName("a failed send without retry owes nothing, yet is a phantom when it arrives; a failed retry is a failure")
    void failures() {
        SignalTag notSent = ledger.open(1, 0, false);
        ledger.settle(notSent, Ledger.Outcome.FAILED, "NOT_CONNECTED");
        SignalTag arrivedAnyway = ledger.open(1, 0, false);
        ledger.settle(arrivedAnyway, Ledger.Outcome.FAILED, "NOT_CONNECTED");
        ledger.received(0, arrivedAnyway.data(), "B", true);
        SignalTag retried = ledger.open(2, 0, true);
        ledger.settle(retried, Ledger.Outcome.FAILED, "NOT_CONNECTED");

        Ledger.Findings found = ledger.findings();

        assertThat(found.phantom()).isEqualTo(1);
        assertThat(found.retryFailed()).isEqualTo(1);
        assertThat(found.lost()).as("the failed retry was promised").isEqualTo(1);
        assertThat(found.failures()).containsEntry("NOT_CONNECTED", 3L);
        assertThat(found.expected()).isZero();
    }

    @Test
    @DisplayName("a signal from the wrong sender, to the wrong client, in the wrong session or unknown is unexpected")
    void unexpected() {
        SignalTag toC1 = ack(ledger.open(0, 1, true));
        SignalTag all = ack(ledger.open(0, Ledger.EVERYONE, true));
        ledger.received(2, toC1.data(), "A", true);
        ledger.received(1, all.data(), "B", false);
        ledger.received(3, all.data(), "A", false);
        ledger.received(1, all.data(), "A", true);
        ledger.received(1, "hello", "A", false);
        ledger.received(1, "s0#99#r", "A", false);

        Ledger.Findings found = ledger.findings();

        assertThat(found.unexpected()).isEqualTo(6);
        assertThat(found.delivered()).isZero();
        assertThat(found.lost()).as("c1 never got either, c0 and c2 not the broadcast").isEqualTo(4);
    }

    @Test
    @DisplayName("a send with no outcome is pending, and a client has reached a stream only once it got its latest")
    void pendingAndReached() {
        SignalTag tag = ledger.open(4, Ledger.EVERYONE, true);
        assertThat(ledger.pending()).isEqualTo(1);
        long[] latest = ledger.latest(1);
        assertThat(latest).containsExactly(0, 1, 0);
        assertThat(ledger.reached(3, latest)).isFalse();
        ledger.received(3, tag.data(), "E", false);
        assertThat(ledger.reached(3, latest)).isTrue();

        assertThat(ledger.findings().pending()).isEqualTo(1);
    }

    private SignalTag ack(SignalTag tag) {
        ledger.settle(tag, Ledger.Outcome.ACKNOWLEDGED, null);
        return tag;
    }
}
