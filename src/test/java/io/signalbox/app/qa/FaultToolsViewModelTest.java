package io.signalbox.app.qa;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.client.FaultInjector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FaultToolsViewModelTest {
    private final Instant start = Instant.parse("2026-01-01T10:00:00Z");
    private final Clock clock = Clock.fixed(start, ZoneOffset.UTC);
    private final FakeFaults faults = new FakeFaults();
    private final List<String> stops = new ArrayList<>();
    private final FaultToolsViewModel vm = new FaultToolsViewModel(faults, clock, () -> stops.add("stop"));

    @Test
    @DisplayName("with no fault in force it says so")
    void noFaults() {
        assertThat(vm.summaryProperty().get()).isEqualTo("No faults");
        assertThat(vm.anyFaultProperty().get()).isFalse();
    }

    @Test
    @DisplayName("going offline drops the link and counts down until it ends")
    void offlineCountsDown() {
        vm.goOffline(5);
        assertThat(faults.calls).containsExactly("offline PT5S");
        assertThat(vm.offlineProperty().get()).isTrue();
        assertThat(vm.summaryProperty().get()).isEqualTo("Offline, 5 s left");
        vm.tick(start.plusMillis(3200));
        assertThat(vm.summaryProperty().get()).isEqualTo("Offline, 2 s left");
        vm.tick(start.plusSeconds(5));
        assertThat(vm.offlineProperty().get()).isFalse();
        assertThat(vm.summaryProperty().get()).isEqualTo("No faults");
    }

    @Test
    @DisplayName("blocking, latency and their release show in the summary together")
    void combined() {
        vm.blockReconnection();
        vm.setLatency(200);
        assertThat(vm.summaryProperty().get()).isEqualTo("Reconnection blocked · +200 ms latency");
        assertThat(vm.blockedProperty().get()).isTrue();
        vm.releaseReconnection();
        vm.setLatency(0);
        assertThat(vm.summaryProperty().get()).isEqualTo("No faults");
        assertThat(faults.calls).containsExactly("block", "latency PT0.2S", "release", "latency PT0S");
    }

    @Test
    @DisplayName("dropping the link now reaches the injector")
    void dropNow() {
        vm.dropNow();
        assertThat(faults.calls).containsExactly("drop");
    }

    @Test
    @DisplayName("the embedded server is stopped once, and only by its host")
    void stopServer() {
        assertThat(vm.canStopServer()).isTrue();
        vm.stopServer();
        vm.stopServer();
        assertThat(stops).containsExactly("stop");
        assertThat(vm.canStopServer()).isFalse();
        assertThat(vm.summaryProperty().get()).isEqualTo("Server stopped");
        FaultToolsViewModel guest = new FaultToolsViewModel(faults, clock, null);
        assertThat(guest.canStopServer()).isFalse();
    }

    /** An injector that records what it was asked and reports it back as its state. */
    private final class FakeFaults implements FaultInjector {
        final List<String> calls = new ArrayList<>();
        Instant offlineUntil;
        boolean blocked;
        Duration latency = Duration.ZERO;

        @Override
        public void dropLink() {
            calls.add("drop");
        }

        @Override
        public void goOffline(Duration duration) {
            calls.add("offline " + duration);
            offlineUntil = start.plus(duration);
        }

        @Override
        public void blockReconnection() {
            calls.add("block");
            blocked = true;
        }

        @Override
        public void releaseReconnection() {
            calls.add("release");
            blocked = false;
        }

        @Override
        public void setLatency(Duration latency) {
            calls.add("latency " + latency);
            this.latency = latency;
        }

        @Override
        public State state() {
            return new State(offlineUntil, blocked, latency);
        }
    }
}
