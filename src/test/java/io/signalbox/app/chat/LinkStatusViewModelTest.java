package io.signalbox.app.chat;

import static io.signalbox.app.chat.FakeSignalingService.T0;
import static io.signalbox.app.chat.FakeSignalingService.connection;
import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.client.Connection;
import io.signalbox.client.FakeClock;
import io.signalbox.client.QueuedSignal;
import io.signalbox.client.Resumption;
import io.signalbox.client.SignalOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LinkStatusViewModelTest {
    final FakeClock clock = new FakeClock(T0);
    /** What cancel asked to take out of the queue. */
    final List<QueuedSignal> cancelled = new ArrayList<>();
    final LinkStatusViewModel status = new LinkStatusViewModel(clock, signal -> cancelled.add(signal));
    final Connection bo = connection("bo-1", "Bo");

    QueuedSignal queued(long id, String type, String data, Connection to, int secondsAgo) {
        return new QueuedSignal(id, type, data, to, SignalOptions.defaults(), clock.instant().minusSeconds(secondsAgo));
    }

    @Test
    @DisplayName("it starts connecting, then says connected")
    void connecting() {
        assertThat(status.statusTextProperty().get()).isEqualTo("Connecting…");
        status.connected();
        assertThat(status.statusTextProperty().get()).isEqualTo("Connected");
        assertThat(status.showQueuedProperty().get()).isFalse();
        assertThat(status.needsClockProperty().get()).isFalse();
    }

    @Test
    @DisplayName("while reconnecting it shows the attempt and counts down to the next try as time passes")
    void countdown() {
        status.connected();
        status.reconnecting();
        assertThat(status.statusTextProperty().get()).isEqualTo("Reconnecting…");
        assertThat(status.needsClockProperty().get()).isTrue();
        assertThat(status.showQueuedProperty().get()).isTrue();
        assertThat(status.queuedTextProperty().get()).isEqualTo("0 queued");
        status.attemptScheduled(3, T0.plusMillis(4200));
        assertThat(status.attemptProperty().get()).isEqualTo(3);
        assertThat(status.nextAttemptAtProperty().get()).isEqualTo(T0.plusMillis(4200));
        assertThat(status.statusTextProperty().get()).isEqualTo("Reconnecting: attempt 3, next try in 5 s");
        status.tick(T0.plusMillis(1300));
        assertThat(status.statusTextProperty().get()).isEqualTo("Reconnecting: attempt 3, next try in 3 s");
        status.tick(T0.plusMillis(4300));
        assertThat(status.secondsToNextAttemptProperty().get()).isZero();
        assertThat(status.statusTextProperty().get()).isEqualTo("Reconnecting: attempt 3, trying now…");
    }

    @Test
    @DisplayName("the queue lists type, recipient, size and age, and each may be cancelled")
    void queue() {
        status.reconnecting();
        status.queueChanged(List.of(queued(1, "chat", "héllo", null, 12), queued(2, "", "x", bo, 75)),
                to -> to == null ? "Everyone" : "Bo");
        assertThat(status.queuedTextProperty().get()).isEqualTo("2 queued");
        QueuedRow first = status.queued().get(0);
        QueuedRow second = status.queued().get(1);
        assertThat(first.type()).isEqualTo("chat");
        assertThat(first.recipient()).isEqualTo("Everyone");
        assertThat(first.size()).isEqualTo("6 bytes");
        assertThat(first.preview()).isEqualTo("héllo");
        assertThat(first.ageProperty().get()).isEqualTo("queued 12 s ago");
        assertThat(second.type()).isEqualTo("(no type)");
        assertThat(second.recipient()).isEqualTo("Bo");
        assertThat(second.size()).isEqualTo("1 byte");
        assertThat(second.ageProperty().get()).isEqualTo("queued 1 min 15 s ago");
        status.tick(clock.instant().plusSeconds(3));
        assertThat(first.ageProperty().get()).isEqualTo("queued 15 s ago");

        assertThat(status.cancel(second)).isTrue();
        assertThat(cancelled).extracting(QueuedSignal::id).containsExactly(2L);
    }

    @Test
    @DisplayName("after reconnecting it says what was recovered and lost, for a few seconds")
    void recovered() {
        status.reconnecting();
        clock.advance(Duration.ofSeconds(3));
        status.resumed(new Resumption(4, Duration.ofSeconds(3), 1, 3, 5, 0));
        status.missed(12);
        assertThat(status.state()).isEqualTo(LinkState.CONNECTED);
        assertThat(status.recoveredTextProperty().get())
                .isEqualTo("Reconnected: sent 3 queued, resent 1 in flight, received 5 missed · 12 messages were lost while away");
        assertThat(status.needsClockProperty().get()).isTrue();
        status.tick(clock.instant().plus(LinkStatusViewModel.RECOVERED_SHOWN_FOR).minusMillis(1));
        assertThat(status.recoveredTextProperty().get()).isNotEmpty();
        status.tick(clock.instant().plus(LinkStatusViewModel.RECOVERED_SHOWN_FOR));
        assertThat(status.recoveredTextProperty().get()).isEmpty();
        assertThat(status.needsClockProperty().get()).isFalse();
    }

    @Test
    @DisplayName("a reconnection that recovered nothing says how long it took; one lost message reads as one")
    void quietRecovery() {
        status.reconnecting();
        status.resumed(new Resumption(1, Duration.ofMillis(400), 0, 0, 0, 0));
        assertThat(status.recoveredTextProperty().get()).isEqualTo("Reconnected after less than a second");
        status.reconnecting();
        status.resumed(new Resumption(2, Duration.ofSeconds(7), 0, 0, 0, 1));
        status.missed(1);
        assertThat(status.recoveredTextProperty().get()).isEqualTo("Reconnected after 7 s · 1 message was lost while away");
    }

    @Test
    @DisplayName("disconnected, it gives the reason and offers to join again")
    void disconnected() {
        status.connected();
        status.disconnected("The host ended the session");
        assertThat(status.statusTextProperty().get()).isEqualTo("Disconnected: The host ended the session");
        assertThat(status.canRejoinProperty().get()).isTrue();
        status.connecting();
        assertThat(status.canRejoinProperty().get()).isFalse();
    }
}
