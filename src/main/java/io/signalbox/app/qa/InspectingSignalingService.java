package io.signalbox.app.qa;

import io.signalbox.app.service.SignalingService;
import io.signalbox.client.Connection;
import io.signalbox.client.DisconnectReason;
import io.signalbox.client.FaultInjector;
import io.signalbox.client.ForwardingSessionListener;
import io.signalbox.client.QueuedSignal;
import io.signalbox.client.Session;
import io.signalbox.client.SessionListener;
import io.signalbox.client.Signal;
import io.signalbox.client.SignalingException;
import io.signalbox.protocol.Limits;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * A {@link SignalingService} that records every signal in and out, with its state as it goes, for the
 * signal inspector; everything else passes straight through. Used on the UI thread only, as the
 * service it wraps delivers there.
 */
public final class InspectingSignalingService implements SignalingService {
    private final SignalingService inner;
    private final Clock clock;
    /**
     * Every signal so far, oldest first; appended to on the UI thread. A record's state change is a
     * change of the list too, so that a filter on the state stays true.
     */
    private final ObservableList<SignalRecord> records = FXCollections.observableArrayList(
            r -> new javafx.beans.Observable[] {r.stateProperty(), r.failureProperty()});
    /** The next record's id. */
    private long nextId = 1;
    /** Whether the link is being restored, so that a send now is queued; kept from the listener's events. */
    private boolean reconnecting;

    public InspectingSignalingService(SignalingService inner, Clock clock) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The recorded signals, oldest first, live. */
    public ObservableList<SignalRecord> records() {
        return records;
    }

    @Override
    public void setListener(SessionListener listener) {
        inner.setListener(new Recorder(listener));
    }

    @Override
    public CompletableFuture<Void> connect(String token) {
        return inner.connect(token);
    }

    @Override
    public CompletableFuture<Void> send(String type, String data, Connection to, boolean retryAfterReconnect) {
        SignalRecord record = new SignalRecord(nextId++, clock.instant(), SignalRecord.Direction.OUT, type, data,
                data == null ? 0 : Limits.utf8Length(data), "me",
                to == null ? "everyone" : to.getConnectionId(), retryAfterReconnect,
                reconnecting && retryAfterReconnect ? SignalRecord.State.QUEUED : SignalRecord.State.SENT);
        records.add(record);
        CompletableFuture<Void> sent = inner.send(type, data, to, retryAfterReconnect);
        sent.whenComplete((ok, failure) -> {
            if (failure == null) {
                record.moveTo(SignalRecord.State.ACKNOWLEDGED);
            } else if (failure instanceof SignalingException e) {
                record.fail(e.code().number() + " " + e.code() + ": " + e.getMessage());
            } else {
                record.fail(String.valueOf(failure.getMessage()));
            }
        });
        return sent;
    }

    @Override
    public List<QueuedSignal> queuedSignals() {
        return inner.queuedSignals();
    }

    @Override
    public boolean cancel(QueuedSignal signal) {
        return inner.cancel(signal);
    }

    @Override
    public Connection self() {
        return inner.self();
    }

    @Override
    public List<Connection> connections() {
        return inner.connections();
    }

    @Override
    public String disconnectMessage() {
        return inner.disconnectMessage();
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        return inner.disconnect();
    }

    @Override
    public FaultInjector faults() {
        return inner.faults();
    }

    private void reconnected() {
        reconnecting = false;
        // Queued signals have just been handed to the link.
        for (SignalRecord record : records) {
            if (record.state() == SignalRecord.State.QUEUED) record.moveTo(SignalRecord.State.SENT);
        }
    }

    /** Records what comes in, then passes every event on. */
    private final class Recorder extends ForwardingSessionListener {
        Recorder(SessionListener app) {
            super(app);
        }

        @Override
        public void onSignal(Session s, Signal signal) {
            Connection self = inner.self();
            records.add(new SignalRecord(nextId++, clock.instant(), SignalRecord.Direction.IN, signal.type(),
                    signal.data(), Limits.utf8Length(signal.data()),
                    signal.from() == null ? "server" : signal.from().getConnectionId(),
                    signal.direct() && self != null ? self.getConnectionId() : "everyone", null,
                    SignalRecord.State.RECEIVED));
            super.onSignal(s, signal);
        }

        @Override
        public void onReconnecting(Session s) {
            reconnecting = true;
            super.onReconnecting(s);
        }

        @Override
        public void onReconnected(Session s) {
            reconnected();
            super.onReconnected(s);
        }

        @Override
        public void onDisconnected(Session s, DisconnectReason reason) {
            reconnecting = false;
            super.onDisconnected(s, reason);
        }
    }
}
