package io.signalbox.soak;

import io.signalbox.chaos.SignalTag;
import io.signalbox.client.Connection;
import io.signalbox.client.DisconnectReason;
import io.signalbox.client.ErrorCode;
import io.signalbox.client.Session;
import io.signalbox.client.SessionListener;
import io.signalbox.client.Signal;
import io.signalbox.client.SignalOptions;
import io.signalbox.client.SignalingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One SDK client of a soak run: it sends what the driver tells it to, passes every signal it receives
 * to the {@link Ledger}, and keeps what its listener heard of its link.
 *
 * <p>The sends are made by the run's driver thread, then the last one by the run's own thread once the
 * driver stopped; the listener methods run on the session's event thread.
 */
final class SoakClient implements SessionListener {
    /** The type of every signal but the last. */
    static final String TYPE = "soak";
    /** The type of the last signal of each stream, once sending stopped. */
    static final String LAST = "last";
    /** How many errors are kept in words; the count covers all of them. */
    private static final int MAX_ERRORS = 5;
    private static final SignalOptions RETRY = SignalOptions.builder().retryAfterReconnect(true).build();
    private static final SignalOptions NO_RETRY = SignalOptions.builder().retryAfterReconnect(false).build();

    final int index;
    private final Ledger ledger;
    private final Session session;

    /** Whether the link is up: set by onConnected and onReconnected, cleared by onReconnecting and onDisconnected. */
    private volatile boolean linked;
    /** Whether the driver dropped the link and the reconnection has not been heard of yet; driver sets, event thread clears. */
    private volatile boolean dropPending;
    /** Why the session ended without being asked to, in words; null while it has not. Set by onDisconnected. */
    private volatile String gone;
    /** Reconnections completed; raised by the event thread. */
    private final AtomicInteger reconnections = new AtomicInteger();
    /** Signals the server said it could not replay; raised by the event thread. */
    private final AtomicLong missed = new AtomicLong();
    /** Errors reported through onError; raised by the event thread. */
    private final AtomicLong errorCount = new AtomicLong();
    /** The first errors in words; guarded by itself. */
    private final List<String> errors = new ArrayList<>();

    /**
     * @param index   this client's index in the run, from 0
     * @param ledger  where sends are recorded and deliveries checked
     * @param session makes the session, given this client as its listener
     */
    SoakClient(int index, Ledger ledger, Function<SessionListener, Session> session) {
        this.index = index;
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.session = session.apply(this);
    }

    Session session() {
        return session;
    }

    /** Sends a signal to everyone in the session, with or without retry after reconnect. */
    void sendToEveryone(String filler, boolean retry) {
        send(TYPE, Ledger.EVERYONE, null, filler, retry);
    }

    /** Sends a signal to one other client of the session, with or without retry after reconnect. */
    void sendTo(int target, Connection to, String filler, boolean retry) {
        send(TYPE, target, to, filler, retry);
    }

    /** Sends the last signal, to everyone with retry: once it arrived, so had everything before it. */
    void sendLast() {
        send(LAST, Ledger.EVERYONE, null, "", true);
    }

    private void send(String type, int target, Connection to, String filler, boolean retry) {
        SignalTag tag = ledger.open(index, target, retry);
        String data = filler.isEmpty() ? tag.data() : tag.data() + " " + filler;
        SignalOptions options = retry ? RETRY : NO_RETRY;
        CompletableFuture<Void> sent;
        try {
            sent = to == null ? session.sendSignal(type, data, options) : session.sendSignalToConnection(type, data, to, options);
        } catch (RuntimeException e) {
            // The SDK promises sends never throw; keep the breach as a failed send, for the report.
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, failure) -> {
            if (failure == null) {
                ledger.settle(tag, Ledger.Outcome.ACKNOWLEDGED, null);
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                String reason = cause instanceof SignalingException e ? e.code().name() : cause.getClass().getSimpleName();
                boolean unknown = cause instanceof SignalingException e && e.code() == ErrorCode.DELIVERY_UNKNOWN;
                ledger.settle(tag, unknown ? Ledger.Outcome.UNKNOWN : Ledger.Outcome.FAILED, reason);
            }
        });
    }

    /** Whether the driver may drop this client's link now: it is up and the last drop was resumed. */
    boolean mayDrop() {
        return linked && !dropPending && gone == null;
    }

    /** Drops the link and keeps the network away for {@code offline}; the session reconnects after it. */
    void drop(Duration offline) {
        dropPending = true;
        session.faults().goOffline(offline);
    }

    /** Whether the link is up, with no drop awaiting its reconnection, and nothing queued. */
    boolean settled() {
        return linked && !dropPending && session.getQueuedSignals().isEmpty();
    }

    /** Why the session ended without being asked to, or null. */
    String gone() {
        return gone;
    }

    int reconnections() {
        return reconnections.get();
    }

    long missed() {
        return missed.get();
    }

    long errorCount() {
        return errorCount.get();
    }

    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    // ---- the listener, on the session's event thread ----

    @Override
    public void onConnected(Session session) {
        linked = true;
    }

    @Override
    public void onSignal(Session session, Signal signal) {
        ledger.received(index, signal.data(), signal.from() == null ? null : signal.from().getConnectionId(), signal.direct());
    }

    @Override
    public void onReconnecting(Session session) {
        linked = false;
    }

    @Override
    public void onReconnected(Session session) {
        reconnections.incrementAndGet();
        linked = true;
        dropPending = false;
    }

    @Override
    public void onSignalsMissed(Session session, int count) {
        missed.addAndGet(count);
    }

    @Override
    public void onDisconnected(Session session, DisconnectReason reason) {
        linked = false;
        if (reason != DisconnectReason.CLIENT_DISCONNECTED) {
            gone = reason + (session.getDisconnectMessage() == null ? "" : ": " + session.getDisconnectMessage());
        }
    }

    @Override
    public void onError(Session session, SignalingException exception) {
        errorCount.incrementAndGet();
        synchronized (errors) {
            if (errors.size() < MAX_ERRORS) errors.add(exception.toString());
        }
    }
}
