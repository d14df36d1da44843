package io.signalbox.app.chat;

import io.signalbox.app.service.SignalingService;
import io.signalbox.client.Connection;
import io.signalbox.client.DisconnectReason;
import io.signalbox.client.ErrorCode;
import io.signalbox.client.FaultInjector;
import io.signalbox.client.QueuedSignal;
import io.signalbox.client.Resumption;
import io.signalbox.client.SessionListener;
import io.signalbox.client.Signal;
import io.signalbox.client.SignalOptions;
import io.signalbox.client.SignalingException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link SignalingService} the test drives: it records every call, hands out futures the test
 * completes, and plays the session's events to the listener, on the test's thread (as a direct UI
 * executor would).
 */
final class FakeSignalingService implements SignalingService {
    static final Instant T0 = Instant.parse("2026-03-01T09:30:00Z");

    /** A send as the ViewModel made it, with the future the test completes. */
    record Send(String type, String data, Connection to, boolean retryAfterReconnect, CompletableFuture<Void> future) {
        void ack() {
            future.complete(null);
        }

        void fail(ErrorCode code, String message) {
            future.completeExceptionally(new SignalingException(code, message));
        }
    }

    /** The ViewModel's listener; set by setListener. */
    private SessionListener listener = new SessionListener() {};
    /** Every send, in order. */
    final List<Send> sends = new ArrayList<>();
    /** Every signal cancelled through cancel(), in order. */
    final List<QueuedSignal> cancelled = new ArrayList<>();
    /** The tokens connect() was called with. */
    final List<String> connects = new ArrayList<>();
    /** The future of the last connect(); completed by join() or failed by the test. */
    CompletableFuture<Void> connectFuture = new CompletableFuture<>();
    /** How many times disconnect() was called. */
    int disconnects;
    /** What self() answers; set by join(). */
    Connection self;
    /** What disconnectMessage() answers. */
    String disconnectMessage;
    /** The queue's content as the last queue() call set it. */
    private List<QueuedSignal> queue = List.of();
    /** The next queued signal's id. */
    private long nextQueueId = 1;

    static Connection connection(String id, String name) {
        return new Connection(id, T0, name == null ? "" : "name=" + name);
    }

    @Override
    public void setListener(SessionListener listener) {
        this.listener = listener;
    }

    @Override
    public CompletableFuture<Void> connect(String token) {
        connects.add(token);
        connectFuture = new CompletableFuture<>();
        return connectFuture;
    }

    @Override
    public CompletableFuture<Void> send(String type, String data, Connection to, boolean retryAfterReconnect) {
        CompletableFuture<Void> future = new CompletableFuture<>();
        sends.add(new Send(type, data, to, retryAfterReconnect, future));
        return future;
    }

    @Override
    public List<QueuedSignal> queuedSignals() {
        return queue;
    }

    @Override
    public boolean cancel(QueuedSignal signal) {
        cancelled.add(signal);
        return true;
    }

    @Override
    public Connection self() {
        return self;
    }

    @Override
    public List<Connection> connections() {
        return List.of();
    }

    @Override
    public String disconnectMessage() {
        return disconnectMessage;
    }

    @Override
    public CompletableFuture<Void> disconnect() {
        disconnects++;
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public FaultInjector faults() {
        throw new UnsupportedOperationException("no faults in the fake");
    }

    // ---- the session's side, played by the test ----

    /** Joins as {@code me}, with the others already there, and completes connect(). */
    void join(Connection me, Connection... others) {
        self = me;
        listener.onConnected(null);
        for (Connection other : others) listener.onConnectionCreated(null, other);
        connectFuture.complete(null);
    }

    Send lastSend() {
        return sends.getLast();
    }

    void arrives(Connection other) {
        listener.onConnectionCreated(null, other);
    }

    void leaves(Connection other, DisconnectReason reason) {
        listener.onConnectionDestroyed(null, other, reason);
    }

    /** A signal to everyone from {@code from} (null: the server), routed at {@code time}. */
    void broadcast(Connection from, String type, String data, Instant time) {
        listener.onSignal(null, new Signal(type, data, from, false, time));
    }

    /** A signal to this participant alone from {@code from}. */
    void direct(Connection from, String type, String data, Instant time) {
        listener.onSignal(null, new Signal(type, data, from, true, time));
    }

    void reconnecting() {
        listener.onReconnecting(null);
    }

    void attempt(int number, Instant at) {
        listener.onReconnectAttempt(null, number, at);
    }

    /** The SDK's queue now holds the sends with these indexes, in order. */
    List<QueuedSignal> queue(int... sendIndexes) {
        List<QueuedSignal> list = new ArrayList<>();
        for (int index : sendIndexes) {
            Send send = sends.get(index);
            list.add(new QueuedSignal(nextQueueId++, send.type(), send.data(), send.to(),
                    SignalOptions.builder().retryAfterReconnect(send.retryAfterReconnect()).build(), T0));
        }
        queue = List.copyOf(list);
        listener.onQueueChanged(null, queue);
        return queue;
    }

    /** The link is back: the queue is flushed, and the resumption reported. */
    void reconnected(Resumption resumption) {
        if (!queue.isEmpty()) {
            queue = List.of();
            listener.onQueueChanged(null, queue);
        }
        listener.onReconnected(null);
        listener.onResumed(null, resumption);
        if (resumption.missed() > 0) listener.onSignalsMissed(null, resumption.missed());
    }

    static Resumption resumption(int queuedSent, int replayed, int missed) {
        return new Resumption(2, Duration.ofSeconds(3), 0, queuedSent, replayed, missed);
    }

    void disconnected(DisconnectReason reason, String message) {
        disconnectMessage = message;
        self = null;
        listener.onDisconnected(null, reason);
    }

    void error(ErrorCode code, String message) {
        listener.onError(null, new SignalingException(code, message));
    }
}
