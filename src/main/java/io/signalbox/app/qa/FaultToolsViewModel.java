package io.signalbox.app.qa;

import io.signalbox.client.FaultInjector;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The QA menu's faults for one participant: drop the link now, go offline for a while, block
 * reconnection until released, add latency, stop the embedded server. It shows the faults in force
 * until they end; the view calls {@link #tick} every second so that a countdown stays true.
 */
public final class FaultToolsViewModel {
    private final FaultInjector faults;
    private final Clock clock;
    /** Stops the embedded server, or null when this participant does not host one. */
    private final Runnable stopServer;

    private final ReadOnlyBooleanWrapper blocked = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper offline = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper serverStopped = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper anyFault = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("No faults");

    public FaultToolsViewModel(FaultInjector faults, Clock clock, Runnable stopServer) {
        this.faults = Objects.requireNonNull(faults, "faults");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.stopServer = stopServer;
        tick(clock.instant());
    }

    /** Drops the link abruptly, as a network failure; the session reconnects. */
    public void dropNow() {
        faults.dropLink();
        tick(clock.instant());
    }

    /** Drops the link and keeps the network down for {@code seconds}. */
    public void goOffline(int seconds) {
        if (seconds <= 0) throw new IllegalArgumentException("seconds must be positive");
        faults.goOffline(Duration.ofSeconds(seconds));
        tick(clock.instant());
    }

    public void blockReconnection() {
        faults.blockReconnection();
        tick(clock.instant());
    }

    public void releaseReconnection() {
        faults.releaseReconnection();
        tick(clock.instant());
    }

    /** Adds {@code millis} of latency to every frame each way; 0 removes it. */
    public void setLatency(int millis) {
        if (millis < 0) throw new IllegalArgumentException("latency must not be negative");
        faults.setLatency(Duration.ofMillis(millis));
        tick(clock.instant());
    }

    /** Whether this participant hosts the server, so that it can be stopped from here. */
    public boolean canStopServer() {
        return stopServer != null && !serverStopped.get();
    }

    /** Stops the embedded server: everyone's link drops, and no one can come back. */
    public void stopServer() {
        if (stopServer == null || serverStopped.get()) return;
        stopServer.run();
        serverStopped.set(true);
        tick(clock.instant());
    }

    /** Brings the faults in force up to date, at {@code now}. */
    public void tick(Instant now) {
        FaultInjector.State state = faults.state();
        blocked.set(state.blocked());
        Instant until = state.offlineUntil();
        offline.set(until != null && now.isBefore(until));
        List<String> parts = new ArrayList<>();
        if (offline.get()) {
            long left = Math.max(1, (Duration.between(now, until).toMillis() + 999) / 1000);
            parts.add("Offline, " + left + " s left");
        }
        if (state.blocked()) parts.add("Reconnection blocked");
        if (!state.latency().isZero()) parts.add("+" + state.latency().toMillis() + " ms latency");
        if (serverStopped.get()) parts.add("Server stopped");
        anyFault.set(!parts.isEmpty());
        summary.set(parts.isEmpty() ? "No faults" : String.join(" · ", parts));
    }

    public ReadOnlyBooleanProperty blockedProperty() {
        return blocked.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty offlineProperty() {
        return offline.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty serverStoppedProperty() {
        return serverStopped.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty anyFaultProperty() {
        return anyFault.getReadOnlyProperty();
    }

    /** The faults in force, in words: "Offline, 4 s left · +200 ms latency", or "No faults". */
    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }
}
