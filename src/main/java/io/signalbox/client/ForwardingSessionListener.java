package io.signalbox.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A listener that passes every event to another: extend it and override only the events to look at
 * on the way (a recorder, a filter), calling {@code super} to pass them on.
 */
public class ForwardingSessionListener implements SessionListener {
    private final SessionListener delegate;

    public ForwardingSessionListener(SessionListener delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void onConnected(Session session) {
        delegate.onConnected(session);
    }

    @Override
    public void onDisconnected(Session session, DisconnectReason reason) {
        delegate.onDisconnected(session, reason);
    }

    @Override
    public void onConnectionCreated(Session session, Connection connection) {
        delegate.onConnectionCreated(session, connection);
    }

    @Override
    public void onConnectionDestroyed(Session session, Connection connection, DisconnectReason reason) {
        delegate.onConnectionDestroyed(session, connection, reason);
    }

    @Override
    public void onSignal(Session session, Signal signal) {
        delegate.onSignal(session, signal);
    }

    @Override
    public void onSignalReceived(Session session, String type, String data, Connection from) {
        delegate.onSignalReceived(session, type, data, from);
    }

    @Override
    public void onReconnecting(Session session) {
        delegate.onReconnecting(session);
    }

    @Override
    public void onReconnectAttempt(Session session, int attempt, Instant nextAttemptAt) {
        delegate.onReconnectAttempt(session, attempt, nextAttemptAt);
    }

    @Override
    public void onReconnected(Session session) {
        delegate.onReconnected(session);
    }

    @Override
    public void onResumed(Session session, Resumption resumption) {
        delegate.onResumed(session, resumption);
    }

    @Override
    public void onSignalsMissed(Session session, int count) {
        delegate.onSignalsMissed(session, count);
    }

    @Override
    public void onQueueChanged(Session session, List<QueuedSignal> queued) {
        delegate.onQueueChanged(session, queued);
    }

    @Override
    public void onError(Session session, SignalingException exception) {
        delegate.onError(session, exception);
    }
}
