package io.signalbox.client.internal;

import io.signalbox.client.Connection;
import io.signalbox.client.DisconnectReason;
import io.signalbox.client.ErrorCode;
import io.signalbox.client.FaultInjector;
import io.signalbox.client.QueuedSignal;
import io.signalbox.client.Resumption;
import io.signalbox.client.Session;
import io.signalbox.client.SessionListener;
import io.signalbox.client.Signal;
import io.signalbox.client.SignalOptions;
import io.signalbox.client.SignalingException;
import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.CloseCodes;
import io.signalbox.protocol.Codec;
import io.signalbox.protocol.ConnectionInfo;
import io.signalbox.protocol.Limits;
import io.signalbox.protocol.ProtocolException;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.protocol.WireError;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
import java.util.TreeMap;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Session}: a state machine ({@link SessionState}) driven by the caller's verbs, the
 * current link's events and the session's timers.
 *
 * <h2>Threads and locks</h2>
 * One lock guards all state. It is held only for short bookkeeping: never while calling the listener,
 * completing a future, or doing I/O. Work that must happen outside it is handed, while still holding
 * it, to one of two {@link SerialExecutor}s, so that its order is the order of the state changes:
 * <ul>
 *   <li>{@code writer}, the one writer of the link: seq assignment and the hand-off happen together
 *       under the lock, so frames reach the wire in seq order, and each thread's signals in its
 *       order;</li>
 *   <li>{@code events}, the listener's thread: listener calls and the completion of every future the
 *       session returned (except those returned already failed), so user callbacks run neither under
 *       the lock nor on a network thread.</li>
 * </ul>
 * Transport callbacks arrive on the transport's threads and timers on the scheduler's; each takes the
 * lock, and is ignored when its link is no longer the current one.
 */
public final class RealSession implements Session {
    private static final Logger log = LoggerFactory.getLogger(RealSession.class);

    /** The longest a reconnection attempt may take before the next one is tried. */
    private static final Duration MAX_ATTEMPT_TIMEOUT = Duration.ofSeconds(3);
    /** How many pings fit in the dead-link timeout at least, so that one lost pong is not a death. */
    private static final int PINGS_PER_DEAD_LINK_TIMEOUT = 3;
    /** The close code WebSocket reserves for a link that ended without a close frame. */
    private static final int ABNORMAL_CLOSURE = 1006;
    /** How many signals' {@code from/ref} are remembered to drop a second copy. */
    private static final int RECENT_REFS = 8_192;
    /** How long the event and writer threads wait for more work before they end. */
    private static final long THREAD_KEEP_ALIVE_MS = 10_000;

    private final SessionConfig config;
    private final SessionListener listener;
    private final SerialExecutor events = new SerialExecutor("signalbox-session-events", THREAD_KEEP_ALIVE_MS);
    private final SerialExecutor writer = new SerialExecutor("signalbox-session-writer", THREAD_KEEP_ALIVE_MS);
    private final Object lock = new Object();
    private final Faults faults;

    // Everything below is guarded by lock.

    /** Where the session is in its life; changed by connect(), disconnect(), the current link and timers. */
    private SessionState state = SessionState.DISCONNECTED;
    /** The current attempt's link, or null when DISCONNECTED; set by connect(), cleared when it ends. */
    private Link link;
    /** This client's own connection while in the session; set on Connected, cleared when it ends. */
    private Connection self;
    /** Everyone in the session by id, self first; filled on Connected, kept by Joined/Left, cleared at the end. */
    private final Map<String, Connection> connections = new LinkedHashMap<>();
    /** Signals handed to the writer and not yet answered, by seq, oldest first; settled by Ack/Nack or the end. */
    private final SequencedMap<Long, PendingSend> inFlight = new LinkedHashMap<>();
    /** Signals waiting for a reconnection, oldest first; filled while RECONNECTING, drained on resume. */
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    /** The id of the next queued signal; increases over the session's life. */
    private long nextQueueId = 1;
    /**
     * The place in the caller's order of the next signal sent or queued; increases over the session's
     * life. A signal sent again for the rate gets a new seq, so seqs alone no longer tell the order.
     */
    private long nextOrder = 1;
    /**
     * Signals in flight at a drop that the server did not receive, with their seq, waiting (after a
     * resume) for the pace to send them again, ahead of the queue; taken back into account at the next
     * resume if the link drops again first.
     */
    private final ArrayDeque<PendingSend> held = new ArrayDeque<>();
    /**
     * Paced signals the server refused for the rate, by their place in the caller's order, to be sent
     * again (with a new seq) ahead of everything else once the server's wait is over.
     */
    private final TreeMap<Long, PendingSend> refused = new TreeMap<>();
    /**
     * The server's rate limits as this client models them since the last resume: what it may send now
     * without being refused. Null when the server sets none, or before the first resume.
     */
    private Pacer pacer;
    /** While pacing: no paced signal goes before this time (clock millis), after a refusal for the rate. */
    private long pausedUntilMillis;
    /**
     * Set by a refusal for the rate; while set, a paced signal goes only when no other paced one awaits
     * its answer, so that none can overtake one that is to be sent again. Cleared when the backlog is empty.
     */
    private boolean careful;
    /**
     * The highest seq the server has seen or will see from this client on the current link: its
     * {@code lastSeq} at the resume, then every signal written. A held signal whose seq is not above it
     * (a signal refused for the rate went again ahead of it) gets a new one, or the server would take it
     * for a duplicate.
     */
    private long highestSeqSent;
    /** Wakes the pacing when the next paced signal may go; null when none is scheduled. */
    private ScheduledFuture<?> paceTimer;
    /** The seq of the next signal; 1 for the first signal of each connection. */
    private long nextSeq;
    /** Signals received on this connection; counted per Signal, told to the server with each ping. */
    private long received;
    /**
     * The latest signals received that carry a ref (a cluster's), as {@code from/ref}, oldest first: a
     * connection that moved between nodes may be given one twice, and the second is dropped here.
     */
    private final java.util.LinkedHashSet<String> recentRefs = new java.util.LinkedHashSet<>();
    /** The future connect() returned, while CONNECTING; settled and cleared when the attempt ends. */
    private CompletableFuture<Void> connectFuture;
    /** The future disconnect() returned, while DISCONNECTING; completed (after onDisconnected) at the end. */
    private CompletableFuture<Void> disconnectFuture;
    /** The error the server announced while CONNECTING, to fail the connect with when its close follows. */
    private SignalingException connectError;
    /** Why the last disconnection happened, in words; set at the end, cleared by connect(). */
    private String disconnectMessage;
    /** The secret to resume this connection with; set on Connected. */
    private String resumeToken;
    /** The server's reconnection window, from Connected. */
    private long reconnectWindowMillis;
    /** The server's heartbeat interval, from Connected. */
    private long heartbeatMillis;
    /** While RECONNECTING: when the link was lost. */
    private long lostAtMillis;
    /** While RECONNECTING: the attempts made or scheduled so far. */
    private int attempts;
    /**
     * Which of the configured servers the current or last link went to (an index into
     * {@code config.webSocketUris()}); set to 0 by connect() and to the next in turn by each
     * reconnection attempt, the lost server first.
     */
    private int server;
    /** While RECONNECTING: the server whose link was lost, where the turn of attempts begins. */
    private int lostServer;
    /** While RECONNECTING: gives up when the window runs out; cancelled on resume or at the end. */
    private ScheduledFuture<?> windowTimer;
    /** The error the server announced while resuming, to end with when its close follows. */
    private SignalingException resumeError;
    /**
     * The one timer of the current state: the connect timeout (CONNECTING), the heartbeat (CONNECTED),
     * or the wait for acks and then for the close (DISCONNECTING); replaced on each change of state.
     */
    private ScheduledFuture<?> timer;

    /** A session, not yet connected, as the builder configured it. */
    public RealSession(SessionConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = config.listener();
        this.faults = new Faults(config.transports(), config.clock(), config.scheduler());
        this.faults.onDrop(this::dropForFault);
    }

    @Override
    public FaultInjector faults() {
        return faults;
    }

    @Override
    public List<QueuedSignal> getQueuedSignals() {
        synchronized (lock) {
            return snapshotQueue();
        }
    }

    @Override
    public boolean cancelQueuedSignal(QueuedSignal signal) {
        if (signal == null) return false;
        synchronized (lock) {
            for (var it = queue.iterator(); it.hasNext(); ) {
                Queued queued = it.next();
                if (queued.info().id() == signal.id()) {
                    it.remove();
                    fail(queued.future(), new SignalingException(ErrorCode.CANCELLED,
                            "the queued signal was cancelled before it was sent"));
                    emitQueueChanged();
                    return true;
                }
            }
            return false;
        }
    }

    @Override
    public String getSessionId() {
        return config.sessionId();
    }

    /** Where the session is in its life (for tests and diagnostics; not part of the API). */
    public SessionState state() {
        synchronized (lock) {
            return state;
        }
    }

    @Override
    public Connection getConnection() {
        synchronized (lock) {
            return self;
        }
    }

    @Override
    public List<Connection> getConnections() {
        synchronized (lock) {
            return List.copyOf(connections.values());
        }
    }

    @Override
    public String getDisconnectMessage() {
        synchronized (lock) {
            return disconnectMessage;
        }
    }

    // ---- connect ----

    @Override
    public CompletableFuture<Void> connect(String token) {
        Objects.requireNonNull(token, "token");
        Link attempt;
        CompletableFuture<Void> joined;
        synchronized (lock) {
            if (state != SessionState.DISCONNECTED) {
                return failed(ErrorCode.ILLEGAL_STATE, "connect() was called while the session is "
                        + describe(state) + "; disconnect() first");
            }
            Transport transport;
            try {
                transport = faults.factory().create();
            } catch (RuntimeException e) {
                log.error("the transport factory failed", e);
                return failed(ErrorCode.CONNECT_FAILED, "cannot make a link: " + Errors.describe(e));
            }
            attempt = new Link(transport, token);
            link = attempt;
            state = SessionState.CONNECTING;
            nextSeq = 1;
            highestSeqSent = 0;
            received = 0;
            recentRefs.clear();
            connectError = null;
            disconnectMessage = null;
            joined = connectFuture = new CompletableFuture<>();
            server = 0;
            replaceTimer(schedule(() -> connectOverdue(attempt), config.connectTimeout()));
        }
        URI uri = config.webSocketUris().getFirst();
        log.debug("connecting to session {} at {}", config.sessionId(), uri);
        try {
            attempt.transport.open(uri, attempt);
        } catch (RuntimeException e) {
            attempt.onFailure(e);
        }
        return joined;
    }

    private void linkOpened(Link opened) {
        synchronized (lock) {
            if (opened != link) return;
            opened.open = true;
            if (state == SessionState.CONNECTING) {
                write(opened, new ClientMessage.Connect(Limits.PROTOCOL_VERSION, config.sessionId(), opened.token,
                        config.connectionData()));
            } else if (state == SessionState.RECONNECTING) {
                write(opened, new ClientMessage.Resume(Limits.PROTOCOL_VERSION, config.sessionId(),
                        self.getConnectionId(), resumeToken, received));
            }
        }
    }

    private void connectOverdue(Link attempt) {
        synchronized (lock) {
            if (attempt != link || state != SessionState.CONNECTING) return;
            failConnect(connectError != null ? connectError : new SignalingException(ErrorCode.CONNECT_FAILED,
                    "the server at " + config.webSocketUris().getFirst() + " did not answer within "
                            + describe(config.connectTimeout())));
        }
        attempt.transport.abort();
    }

    private void joined(Link current, ServerMessage.Connected connected) {
        if (state != SessionState.CONNECTING) {
            unexpected(connected);
            return;
        }
        state = SessionState.CONNECTED;
        connectError = null;
        self = toConnection(connected.self());
        connections.put(self.getConnectionId(), self);
        List<Connection> others = new ArrayList<>();
        for (ConnectionInfo info : connected.connections()) {
            Connection other = toConnection(info);
            if (connections.putIfAbsent(other.getConnectionId(), other) == null) others.add(other);
        }
        resumeToken = connected.resumeToken();
        reconnectWindowMillis = connected.reconnectWindowMs();
        heartbeatMillis = connected.heartbeatMs();
        startHeartbeat(current);
        CompletableFuture<Void> joined = connectFuture;
        connectFuture = null;
        log.debug("joined session {} as {}", config.sessionId(), self.getConnectionId());

        emit(l -> l.onConnected(this));
        for (Connection other : others) emit(l -> l.onConnectionCreated(this, other));
        complete(joined);
    }

    /** Ends a connect attempt that failed. CONNECTING only: no send was ever accepted, so none is in flight. */
    private void failConnect(SignalingException failure) {
        state = SessionState.DISCONNECTED;
        link = null;
        connectError = null;
        replaceTimer(null);
        fail(connectFuture, failure);
        connectFuture = null;
        log.debug("connecting to session {} failed: {}", config.sessionId(), failure.toString());
    }

    private SignalingException connectFailure(int code, String reason, Throwable failure) {
        if (connectError != null) return connectError;
        if (failure != null) {
            String refused = config.trust().describeRefusal(failure);
            if (refused != null) {
                return new SignalingException(ErrorCode.CERTIFICATE_NOT_TRUSTED,
                        "cannot connect to " + config.webSocketUris().getFirst() + ": " + refused, failure);
            }
            return new SignalingException(ErrorCode.CONNECT_FAILED,
                    "cannot connect to " + config.webSocketUris().getFirst() + ": " + Errors.describe(failure), failure);
        }
        ErrorCode error = switch (code) {
            case CloseCodes.AUTHENTICATION_FAILED -> ErrorCode.AUTHENTICATION_FAILED;
            case CloseCodes.UNSUPPORTED_PROTOCOL -> ErrorCode.UNSUPPORTED_PROTOCOL;
            case CloseCodes.RESUME_REFUSED -> ErrorCode.RESUME_REFUSED;
            case CloseCodes.SESSION_FULL -> ErrorCode.SESSION_FULL;
            default -> ErrorCode.CONNECT_FAILED;
        };
        return new SignalingException(error, reason.isBlank()
                ? "the server closed the link (close code " + code + ") before the session was joined"
                : reason);
    }

    // ---- send ----

    @Override
    public CompletableFuture<Void> sendSignal(String type, String data) {
        return send(type, data, false, null, SignalOptions.defaults());
    }

    @Override
    public CompletableFuture<Void> sendSignal(String type, String data, SignalOptions options) {
        return send(type, data, false, null, options);
    }

    @Override
    public CompletableFuture<Void> sendSignalToConnection(String type, String data, Connection connection) {
        return send(type, data, true, connection, SignalOptions.defaults());
    }

    @Override
    public CompletableFuture<Void> sendSignalToConnection(String type, String data, Connection connection,
                                                          SignalOptions options) {
        return send(type, data, true, connection, options);
    }

    private CompletableFuture<Void> send(String type, String data, boolean toOne, Connection to,
                                         SignalOptions options) {
        try {
            WireError invalid = Limits.checkSignal(type, data);
            if (invalid != null) return failed(Errors.code(invalid), Errors.describeInvalid(invalid, type, data));
            if (toOne && to == null) {
                return failed(ErrorCode.CONNECTION_NOT_FOUND,
                        "the connection to signal is null; use sendSignal to signal everyone");
            }
            if (options == null) return CompletableFuture.failedFuture(new NullPointerException("options is null"));
            synchronized (lock) {
                if (state == SessionState.RECONNECTING) return enqueue(type, data, to, options);
                if (state != SessionState.CONNECTED) {
                    return failed(ErrorCode.NOT_CONNECTED, "cannot send: the session is " + describe(state));
                }
                // Signals sent after a reconnection still go out behind the queued ones, at their pace.
                if (hasBacklog()) return enqueueBehindBacklog(type, data, to, options);
                ClientMessage.SendSignal message = new ClientMessage.SendSignal(nextSeq++, type, data,
                        to == null ? null : to.getConnectionId());
                CompletableFuture<Void> sent = new CompletableFuture<>();
                inFlight.put(message.seq(), new PendingSend(message, options, sent, false, nextOrder++));
                // Not paced, but counted, so that the model stays a lower bound of what the server allows.
                if (pacer != null) pacer.take(message);
                highestSeqSent = message.seq();
                write(link, message);
                return sent;
            }
        } catch (RuntimeException e) {
            log.error("sending a signal failed unexpectedly", e);
            return failed(ErrorCode.INTERNAL_ERROR, "the SDK failed to send the signal: " + Errors.describe(e));
        }
    }

    /** Settles the signal with this seq: completed when {@code failure} is null, else failed with it. */
    private void settle(ServerMessage answer, long seq, SignalingException failure) {
        if (!inSession()) {
            unexpected(answer);
            return;
        }
        PendingSend pending = inFlight.remove(seq);
        if (pending == null) {
            log.debug("the server answered seq {}, which is not in flight", seq);
            return;
        }
        if (failure != null && failure.code() == ErrorCode.RATE_LIMITED && pending.paced()
                && state == SessionState.CONNECTED) {
            // A queued signal never fails for the rate: it waits as the server asked, and goes again.
            refusedForRate(pending, failure);
        } else if (failure == null) {
            complete(pending.future());
        } else {
            fail(pending.future(), failure);
        }
        if (state == SessionState.DISCONNECTING && inFlight.isEmpty() && !link.leaving) leave(link);
        if (pending.paced()) pace();
    }

    private void failInFlight(ErrorCode code, String why) {
        for (PendingSend pending : inFlight.values()) {
            fail(pending.future(), new SignalingException(code, why));
        }
        inFlight.clear();
    }

    // ---- incoming ----

    private void frameReceived(Link from, String frame) {
        ServerMessage message;
        try {
            message = Codec.decodeServer(frame);
        } catch (ProtocolException e) {
            synchronized (lock) {
                if (from != link) return;
                from.lastHeardMillis = now();
                emitError(ErrorCode.MALFORMED_MESSAGE, "the server sent a frame this SDK cannot read: " + e.getMessage());
            }
            return;
        }
        synchronized (lock) {
            if (from != link) return;
            from.lastHeardMillis = now();
            switch (message) {
                case ServerMessage.Connected connected -> joined(from, connected);
                case ServerMessage.Ack ack -> settle(ack, ack.seq(), null);
                case ServerMessage.Nack nack -> settle(nack, nack.seq(), Errors.fromNack(nack));
                case ServerMessage.Signal signal -> signalReceived(signal);
                case ServerMessage.Joined joined -> connectionJoined(joined);
                case ServerMessage.Left left -> connectionLeft(left);
                case ServerMessage.Error error -> serverError(error);
                case ServerMessage.Pong pong -> { } // hearing it (lastHeardMillis) is all a pong is for
                case ServerMessage.Resumed resumed -> resumed(from, resumed);
            }
        }
    }

    /** Whether this is the first copy of a signal with a ref; remembers it. */
    private boolean firstCopy(ServerMessage.Signal message) {
        String key = (message.from() == null ? "" : message.from()) + "/" + message.ref();
        if (!recentRefs.add(key)) return false;
        if (recentRefs.size() > RECENT_REFS) recentRefs.removeFirst();
        return true;
    }

    private void signalReceived(ServerMessage.Signal message) {
        if (!inSession()) {
            unexpected(message);
            return;
        }
        received++;
        if (message.ref() != null && !firstCopy(message)) {
            log.debug("dropped a second copy of signal {} from {}", message.ref(), message.from());
            return;
        }
        Connection from = null;
        if (message.from() != null) {
            from = connections.get(message.from());
            // A signal may outrun the news of its sender; it still has a sender.
            if (from == null) from = new Connection(message.from(), Instant.EPOCH, "");
        }
        Signal signal = new Signal(message.type(), message.data(), from, message.direct(),
                Instant.ofEpochMilli(message.time()));
        emit(l -> l.onSignal(this, signal));
    }

    private void connectionJoined(ServerMessage.Joined message) {
        if (!inSession()) {
            unexpected(message);
            return;
        }
        Connection joined = toConnection(message.connection());
        if (connections.putIfAbsent(joined.getConnectionId(), joined) != null) {
            log.debug("the server announced {} again", joined.getConnectionId());
            return;
        }
        emit(l -> l.onConnectionCreated(this, joined));
    }

    private void connectionLeft(ServerMessage.Left message) {
        if (!inSession()) {
            unexpected(message);
            return;
        }
        // Our own leave is told by the close, and an unknown one was never reported as created.
        if (self.getConnectionId().equals(message.connectionId())) return;
        Connection left = connections.remove(message.connectionId());
        if (left == null) {
            log.debug("the server announced the leave of unknown {}", message.connectionId());
            return;
        }
        DisconnectReason reason = Errors.reason(message.reason());
        emit(l -> l.onConnectionDestroyed(this, left, reason));
    }

    private void serverError(ServerMessage.Error message) {
        SignalingException error = Errors.fromWire(message.code(), message.message());
        if (state == SessionState.CONNECTING) {
            // A refusal: the close that follows fails the connect with these words.
            connectError = error;
            return;
        }
        if (state == SessionState.RECONNECTING) {
            resumeError = error;
            return;
        }
        emit(l -> l.onError(this, error));
    }

    private void unexpected(ServerMessage message) {
        emitError(ErrorCode.MALFORMED_MESSAGE, "the server sent '" + message.getClass().getSimpleName()
                + "', which does not fit while the session is " + describe(state));
    }

    // ---- heartbeat ----

    /**
     * Pings often enough that a link is not taken for dead for one late pong: at the server's
     * heartbeat, or more often when the dead-link timeout is short.
     */
    private void startHeartbeat(Link current) {
        long deadLink = config.deadLinkTimeout().toMillis();
        long every = Math.max(1, Math.min(heartbeatMillis > 0 ? heartbeatMillis : deadLink,
                deadLink / PINGS_PER_DEAD_LINK_TIMEOUT));
        current.lastHeardMillis = now();
        replaceTimer(scheduleEvery(() -> heartbeat(current), Duration.ofMillis(every)));
    }

    private void heartbeat(Link current) {
        synchronized (lock) {
            if (current != link || state != SessionState.CONNECTED) return;
            long silent = now() - current.lastHeardMillis;
            if (silent < config.deadLinkTimeout().toMillis()) {
                write(current, new ClientMessage.Ping(received));
                return;
            }
            linkLost("nothing was heard from the server for " + describe(Duration.ofMillis(silent)));
        }
        current.transport.abort();
    }

    // ---- the end of a link ----

    private void linkEnded(Link ended, int code, String reason, Throwable failure) {
        synchronized (lock) {
            if (ended != link) return;
            switch (state) {
                case CONNECTING -> failConnect(connectFailure(code, reason, failure));
                case CONNECTED -> {
                    if (failure == null && CloseCodes.isFinal(code)) {
                        finish(code == CloseCodes.FORCE_DISCONNECTED
                                        ? DisconnectReason.FORCE_DISCONNECTED : DisconnectReason.SERVER_CLOSED,
                                reason.isBlank() ? "the server closed the connection (close code " + code + ")" : reason);
                    } else {
                        linkLost(failure != null
                                ? "the link failed: " + Errors.describe(failure)
                                : "the link closed (close code " + code + (reason.isBlank() ? "" : ": " + reason) + ")");
                    }
                }
                case DISCONNECTING -> finish(DisconnectReason.CLIENT_DISCONNECTED, null);
                case RECONNECTING -> attemptEnded(code, reason, failure);
                case DISCONNECTED -> { } // no link is current
            }
        }
        ended.transport.abort();
    }

    /**
     * The link of a session that was in it is gone, unasked: reconnect within the server's window. What
     * is in flight stays in flight until the server says, on resume, what it received. The caller aborts
     * the transport.
     */
    private void linkLost(String why) {
        log.info("session {} lost its link: {}; reconnecting", config.sessionId(), why);
        cancelPace();
        boolean dropped = queue.removeIf(queued -> {
            if (queued.info().options().retryAfterReconnect()) return false;
            // Sent while connected, behind a draining queue; it asked not to wait for a reconnection.
            fail(queued.future(), new SignalingException(ErrorCode.NOT_CONNECTED,
                    "the link was lost before the signal was sent, and it asked not to be retried"));
            return true;
        });
        if (dropped) emitQueueChanged();
        state = SessionState.RECONNECTING;
        link = null;
        replaceTimer(null);
        lostAtMillis = now();
        attempts = 0;
        lostServer = server;
        resumeError = null;
        if (windowTimer != null) windowTimer.cancel(false);
        windowTimer = schedule(this::windowRanOut, Duration.ofMillis(Math.max(0, reconnectWindowMillis)));
        emit(l -> l.onReconnecting(this));
        scheduleAttempt();
    }

    /** Schedules the next attempt after a backoff wait, or gives up when the window has run out. */
    private void scheduleAttempt() {
        long left = lostAtMillis + reconnectWindowMillis - now();
        if (left <= 0) {
            giveUp("the reconnection window of " + describe(Duration.ofMillis(reconnectWindowMillis)) + " ran out");
            return;
        }
        Duration wait = config.backoff().delay(attempts);
        if (wait.toMillis() >= left) {
            // No time for another attempt: the window's timer ends the session when it runs out.
            replaceTimer(null);
            return;
        }
        attempts++;
        int attempt = attempts;
        Instant at = Instant.ofEpochMilli(now() + wait.toMillis());
        emit(l -> l.onReconnectAttempt(this, attempt, at));
        replaceTimer(schedule(this::attempt, wait));
    }

    private void attempt() {
        Link attempt;
        URI uri;
        synchronized (lock) {
            if (state != SessionState.RECONNECTING || link != null) return;
            Transport transport;
            try {
                transport = faults.factory().create();
            } catch (RuntimeException e) {
                log.error("the transport factory failed", e);
                scheduleAttempt();
                return;
            }
            attempt = new Link(transport, null);
            link = attempt;
            resumeError = null;
            // Attempt n goes to the (n-1)-th server after the lost one: a blip is over by the first retry
            // most often, and a dead node's clients move on to the next node at the second.
            server = (lostServer + attempts - 1) % config.webSocketUris().size();
            uri = config.webSocketUris().get(server);
            replaceTimer(schedule(() -> attemptOverdue(attempt), attemptTimeout()));
        }
        log.debug("reconnecting to session {}: attempt {} at {}", config.sessionId(), attempts, uri);
        try {
            attempt.transport.open(uri, attempt);
        } catch (RuntimeException e) {
            attempt.onFailure(e);
        }
    }

    /**
     * How long one reconnection attempt may take. Shorter than a first connect's timeout: a link cut
     * during its handshake is never reported by the WebSocket client, so the attempt only ends when
     * this runs out, and the window is better spent on the next attempt.
     */
    private Duration attemptTimeout() {
        Duration connect = config.connectTimeout();
        return connect.compareTo(MAX_ATTEMPT_TIMEOUT) < 0 ? connect : MAX_ATTEMPT_TIMEOUT;
    }

    private void attemptOverdue(Link attempt) {
        synchronized (lock) {
            if (attempt != link || state != SessionState.RECONNECTING) return;
            link = null;
            scheduleAttempt();
        }
        attempt.transport.abort();
    }

    /** The current attempt's link ended before the resume was answered. Called under the lock. */
    private void attemptEnded(int code, String reason, Throwable failure) {
        link = null;
        if (failure == null && CloseCodes.isFinal(code)) {
            String words = resumeError != null ? resumeError.getMessage()
                    : reason.isBlank() ? "the server refused to resume (close code " + code + ")" : reason;
            DisconnectReason why = switch (code) {
                case CloseCodes.FORCE_DISCONNECTED -> DisconnectReason.FORCE_DISCONNECTED;
                case CloseCodes.RESUME_REFUSED -> DisconnectReason.NETWORK_DISCONNECTED;
                default -> DisconnectReason.SERVER_CLOSED;
            };
            finish(why, words);
            return;
        }
        String refused = failure == null ? null : config.trust().describeRefusal(failure);
        if (refused != null) {
            // Whoever answers at that address now shows a certificate this session does not trust; the
            // next attempt would meet the same one, so the session ends now instead of at the window's end.
            log.warn("session {} stops reconnecting: {}", config.sessionId(), refused);
            finish(DisconnectReason.NETWORK_DISCONNECTED, "the link could not be restored: " + refused);
            return;
        }
        log.debug("reconnection attempt {} to session {} failed: {}", attempts, config.sessionId(),
                failure != null ? Errors.describe(failure) : "close code " + code);
        scheduleAttempt();
    }

    private void windowRanOut() {
        Link attempt;
        synchronized (lock) {
            if (state != SessionState.RECONNECTING) return;
            attempt = link;
            giveUp("the reconnection window of " + describe(Duration.ofMillis(reconnectWindowMillis)) + " ran out");
        }
        if (attempt != null) attempt.transport.abort();
    }

    private void giveUp(String why) {
        log.info("session {} could not reconnect: {}", config.sessionId(), why);
        finish(DisconnectReason.NETWORK_DISCONNECTED, why);
    }

    /**
     * The server took the connection back. What was in flight is settled by what the server says it
     * received; the rest is sent again (or failed, when it asked not to be retried), then the queue, all
     * before anything sent later. The replay of missed signals follows as ordinary frames.
     */
    private void resumed(Link current, ServerMessage.Resumed message) {
        if (state != SessionState.RECONNECTING) {
            unexpected(message);
            return;
        }
        state = SessionState.CONNECTED;
        if (windowTimer != null) {
            windowTimer.cancel(false);
            windowTimer = null;
        }
        Map<Long, ServerMessage.Nack> nacks = new HashMap<>();
        for (ServerMessage.Nack nack : message.nacks()) nacks.put(nack.seq(), nack);
        // Everything with a seq that is not settled: in flight at the drop, or held back for the pace.
        List<PendingSend> unsettled = new ArrayList<>(inFlight.values());
        unsettled.addAll(held);
        unsettled.sort(Comparator.comparingLong(p -> p.message().seq()));
        inFlight.clear();
        held.clear();
        List<PendingSend> again = new ArrayList<>();
        for (PendingSend pending : unsettled) {
            long seq = pending.message().seq();
            if (seq <= message.lastSeq()) {
                ServerMessage.Nack nack = nacks.get(seq);
                if (nack == null) {
                    complete(pending.future());
                } else {
                    SignalingException failure = Errors.fromNack(nack);
                    if (failure.code() == ErrorCode.RATE_LIMITED && pending.paced()) refused.put(pending.order(), pending);
                    else fail(pending.future(), failure);
                }
            } else if (pending.options().retryAfterReconnect()) {
                again.add(pending.asPaced());
            } else {
                fail(pending.future(), new SignalingException(ErrorCode.NOT_CONNECTED,
                        "the link was lost before the server received the signal, and it asked not to be retried"));
            }
        }
        held.addAll(again);
        int queuedSent = queue.size();
        // The pace starts from what the server says this connection may send now; a server that sets no
        // limits (or says nothing of them) gets everything at once.
        pacer = Pacer.of(message.rates(), config.clock());
        pausedUntilMillis = 0;
        careful = false;
        highestSeqSent = message.lastSeq();
        startHeartbeat(current);
        pace();

        Resumption resumption = new Resumption(attempts, Duration.ofMillis(now() - lostAtMillis), again.size(),
                queuedSent, message.replayed(), message.missed());
        log.info("session {} reconnected after {} attempt(s): {}", config.sessionId(), attempts, resumption);
        emit(l -> l.onReconnected(this));
        emit(l -> l.onResumed(this, resumption));
        if (message.missed() > 0) emit(l -> l.onSignalsMissed(this, message.missed()));
        reconcile(message);
    }

    /** Brings the connection list up to date with who left and joined while this client was away. */
    private void reconcile(ServerMessage.Resumed message) {
        Map<String, ConnectionInfo> present = new LinkedHashMap<>();
        for (ConnectionInfo info : message.connections()) present.put(info.id(), info);
        Map<String, Reason> why = new HashMap<>();
        for (ServerMessage.Departure departure : message.departed()) why.put(departure.connectionId(), departure.reason());
        for (var it = connections.entrySet().iterator(); it.hasNext(); ) {
            var entry = it.next();
            if (entry.getKey().equals(self.getConnectionId()) || present.containsKey(entry.getKey())) continue;
            it.remove();
            Connection gone = entry.getValue();
            DisconnectReason reason = Errors.reason(why.getOrDefault(entry.getKey(), Reason.NETWORK_DISCONNECTED));
            emit(l -> l.onConnectionDestroyed(this, gone, reason));
        }
        for (ConnectionInfo info : present.values()) {
            if (connections.containsKey(info.id())) continue;
            Connection joined = toConnection(info);
            connections.put(info.id(), joined);
            emit(l -> l.onConnectionCreated(this, joined));
        }
    }

    private CompletableFuture<Void> enqueue(String type, String data, Connection to, SignalOptions options) {
        if (!options.retryAfterReconnect()) {
            return failed(ErrorCode.NOT_CONNECTED,
                    "cannot send: the session is reconnecting, and the signal asked not to be retried");
        }
        if (queue.size() >= config.maxQueuedSignals()) {
            return failed(ErrorCode.QUEUE_FULL, "cannot queue the signal: " + config.maxQueuedSignals()
                    + " signals already wait for the reconnection");
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        queue.addLast(new Queued(new QueuedSignal(nextQueueId++, type, data, to, options,
                Instant.ofEpochMilli(now())), sent, nextOrder++));
        emitQueueChanged();
        return sent;
    }

    /**
     * A signal sent while the queue of a reconnection still drains at the server's pace: it waits behind
     * it, whatever its retry option (it was sent while connected), within the queue's bound.
     */
    private CompletableFuture<Void> enqueueBehindBacklog(String type, String data, Connection to, SignalOptions options) {
        if (queue.size() >= config.maxQueuedSignals()) {
            return failed(ErrorCode.QUEUE_FULL, "cannot queue the signal: " + config.maxQueuedSignals()
                    + " signals already wait to be sent at the server's pace");
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        queue.addLast(new Queued(new QueuedSignal(nextQueueId++, type, data, to, options,
                Instant.ofEpochMilli(now())), sent, nextOrder++));
        emitQueueChanged();
        return sent;
    }

    /** Whether signals wait to be sent at the pace: refused ones, held ones, or queued ones. */
    private boolean hasBacklog() {
        return !refused.isEmpty() || !held.isEmpty() || !queue.isEmpty();
    }

    /**
     * Sends what waits, as fast as the server's limits allow: refused signals first (the oldest first),
     * then those held from before the drop, then the queue. Called whenever something may have become
     * sendable: after a resume, on an answer to a paced signal, and by the pace's timer.
     */
    private void pace() {
        if (state != SessionState.CONNECTED) return;
        boolean queueChanged = false;
        while (hasBacklog()) {
            long now = now();
            if (now < pausedUntilMillis) {
                schedulePace(pausedUntilMillis - now);
                break;
            }
            if (careful && pacedInFlight()) break; // its answer calls pace() again
            Map.Entry<Long, PendingSend> first = refused.firstEntry();
            ClientMessage.SendSignal next;
            if (first != null) {
                ClientMessage.SendSignal old = first.getValue().message();
                next = new ClientMessage.SendSignal(nextSeq, old.type(), old.data(), old.to());
            } else if (!held.isEmpty()) {
                ClientMessage.SendSignal old = held.peekFirst().message();
                next = old.seq() > highestSeqSent ? old
                        : new ClientMessage.SendSignal(nextSeq, old.type(), old.data(), old.to());
            } else {
                QueuedSignal q = queue.peekFirst().info();
                next = new ClientMessage.SendSignal(nextSeq, q.type(), q.data(),
                        q.to() == null ? null : q.to().getConnectionId());
            }
            long wait = pacer == null ? 0 : pacer.millisUntil(next);
            if (wait > 0) {
                schedulePace(wait);
                break;
            }
            if (pacer != null) pacer.take(next);
            PendingSend sending;
            if (first != null) {
                refused.pollFirstEntry();
                nextSeq++;
                sending = new PendingSend(next, first.getValue().options(), first.getValue().future(), true,
                        first.getValue().order());
            } else if (!held.isEmpty()) {
                PendingSend was = held.pollFirst();
                if (next.seq() == nextSeq) nextSeq++;
                sending = new PendingSend(next, was.options(), was.future(), true, was.order());
            } else {
                Queued queued = queue.pollFirst();
                nextSeq++;
                sending = new PendingSend(next, queued.info().options(), queued.future(), true, queued.order());
                queueChanged = true;
            }
            inFlight.put(next.seq(), sending);
            highestSeqSent = Math.max(highestSeqSent, next.seq());
            write(link, next);
        }
        if (!hasBacklog()) careful = false;
        if (queueChanged) emitQueueChanged();
    }

    private boolean pacedInFlight() {
        for (PendingSend pending : inFlight.values()) {
            if (pending.paced()) return true;
        }
        return false;
    }

    private void schedulePace(long millis) {
        if (paceTimer != null) return; // one wake-up is enough: pace() sends all it can and sets the next
        paceTimer = schedule(() -> {
            synchronized (lock) {
                paceTimer = null;
                pace();
            }
        }, Duration.ofMillis(Math.max(1, millis)));
    }

    private void cancelPace() {
        if (paceTimer != null) {
            paceTimer.cancel(false);
            paceTimer = null;
        }
    }

    /** A paced signal was refused for the rate: it waits for the server's time, then goes first. */
    private void refusedForRate(PendingSend pending, SignalingException failure) {
        long wait = failure.retryAfter().map(Duration::toMillis).orElse(1000L);
        log.debug("session {}: a queued signal was refused for the rate; sending it again in {} ms",
                config.sessionId(), wait);
        refused.put(pending.order(), pending);
        pausedUntilMillis = Math.max(pausedUntilMillis, now() + wait);
        careful = true;
    }

    private List<QueuedSignal> snapshotQueue() {
        List<QueuedSignal> list = new ArrayList<>(queue.size());
        for (Queued queued : queue) list.add(queued.info());
        return List.copyOf(list);
    }

    private void emitQueueChanged() {
        List<QueuedSignal> snapshot = snapshotQueue();
        emit(l -> l.onQueueChanged(this, snapshot));
    }

    /** The fault injector drops the current link, as the network would. */
    private void dropForFault() {
        Link current;
        synchronized (lock) {
            current = link;
        }
        if (current == null) return;
        current.transport.abort();
        linkEnded(current, ABNORMAL_CLOSURE, "", new java.io.IOException("the link was dropped (fault injected)"));
    }

    /**
     * Ends the session's membership: fails what is in flight, reports onDisconnected, then completes
     * the disconnect future. The caller aborts the transport, after releasing the lock.
     */
    private void finish(DisconnectReason reason, String message) {
        boolean wasReconnecting = state == SessionState.RECONNECTING;
        state = SessionState.DISCONNECTED;
        link = null;
        replaceTimer(null);
        if (windowTimer != null) {
            windowTimer.cancel(false);
            windowTimer = null;
        }
        self = null;
        connections.clear();
        disconnectMessage = message;
        if (reason == DisconnectReason.CLIENT_DISCONNECTED && !wasReconnecting) {
            failInFlight(ErrorCode.NOT_CONNECTED, "disconnect() was called before the server acknowledged the signal");
        } else {
            // The link is gone for good before the server said what it received: nobody can know.
            failInFlight(ErrorCode.DELIVERY_UNKNOWN, "the connection ended (" + reason + ") before the server"
                    + " acknowledged the signal; whether it arrived cannot be known");
        }
        cancelPace();
        pacer = null;
        careful = false;
        for (PendingSend pending : refused.values()) {
            fail(pending.future(), new SignalingException(ErrorCode.NOT_CONNECTED, "the session ended (" + reason
                    + ") before the signal could be sent again; the server had refused it for the rate"));
        }
        refused.clear();
        for (PendingSend pending : held) {
            fail(pending.future(), new SignalingException(ErrorCode.NOT_CONNECTED, "the session ended (" + reason
                    + ") before the signal could be sent again; the server had not received it"));
        }
        held.clear();
        if (!queue.isEmpty()) {
            for (Queued queued : queue) {
                fail(queued.future(), new SignalingException(ErrorCode.NOT_CONNECTED,
                        "the session ended (" + reason + ") before the link was restored; the signal was not sent"));
            }
            queue.clear();
            emitQueueChanged();
        }
        log.debug("session {} disconnected: {}{}", config.sessionId(), reason, message == null ? "" : ", " + message);
        emit(l -> l.onDisconnected(this, reason));
        if (disconnectFuture != null) {
            complete(disconnectFuture);
            disconnectFuture = null;
        }
    }

    // ---- disconnect ----

    @Override
    public CompletableFuture<Void> disconnect() {
        Transport toAbort = null;
        CompletableFuture<Void> done;
        synchronized (lock) {
            switch (state) {
                case DISCONNECTED -> {
                    return CompletableFuture.completedFuture(null);
                }
                case DISCONNECTING -> {
                    return disconnectFuture;
                }
                case CONNECTING -> {
                    Link attempt = link;
                    failConnect(new SignalingException(ErrorCode.NOT_CONNECTED,
                            "disconnect() was called before the session was joined"));
                    if (attempt.open) {
                        // Connect may already have joined us: leave, so nobody waits for us to come back.
                        write(attempt, new ClientMessage.Leave());
                        writer.execute(() -> attempt.transport.close(CloseCodes.NORMAL, "client disconnected"));
                    } else {
                        toAbort = attempt.transport;
                    }
                    done = new CompletableFuture<>();
                    complete(done);
                }
                case CONNECTED -> {
                    state = SessionState.DISCONNECTING;
                    failBacklog("disconnect() was called before the signal was sent");
                    done = disconnectFuture = new CompletableFuture<>();
                    Link current = link;
                    if (inFlight.isEmpty()) {
                        leave(current);
                    } else {
                        replaceTimer(schedule(() -> acksOverdue(current), config.disconnectTimeout()));
                    }
                }
                case RECONNECTING -> {
                    done = disconnectFuture = new CompletableFuture<>();
                    if (link != null) toAbort = link.transport;
                    finish(DisconnectReason.CLIENT_DISCONNECTED, null);
                }
                default -> throw new AssertionError(state);
            }
        }
        if (toAbort != null) toAbort.abort();
        return done;
    }

    /** Fails every signal that waits for the pace; none of them reached the server. */
    private void failBacklog(String why) {
        cancelPace();
        for (PendingSend pending : refused.values()) fail(pending.future(), new SignalingException(ErrorCode.NOT_CONNECTED, why));
        refused.clear();
        for (PendingSend pending : held) fail(pending.future(), new SignalingException(ErrorCode.NOT_CONNECTED, why));
        held.clear();
        if (!queue.isEmpty()) {
            for (Queued queued : queue) fail(queued.future(), new SignalingException(ErrorCode.NOT_CONNECTED, why));
            queue.clear();
            emitQueueChanged();
        }
    }

    private void acksOverdue(Link current) {
        synchronized (lock) {
            if (current != link || state != SessionState.DISCONNECTING || current.leaving) return;
            leave(current);
        }
    }

    /**
     * Fails what is still in flight and says leave; then waits, bounded, for the server's close. The
     * server closes after handling the leave, so a completed disconnect means the others were told;
     * closing from this side at once would race the leave.
     */
    private void leave(Link current) {
        current.leaving = true;
        failInFlight(ErrorCode.NOT_CONNECTED, "disconnect() was called before the server acknowledged the signal");
        write(current, new ClientMessage.Leave());
        replaceTimer(schedule(() -> closeOverdue(current), config.disconnectTimeout()));
    }

    private void closeOverdue(Link current) {
        synchronized (lock) {
            if (current != link || state != SessionState.DISCONNECTING) return;
            finish(DisconnectReason.CLIENT_DISCONNECTED, null);
        }
        current.transport.abort();
    }

    // ---- helpers, all called under lock except where said ----

    private boolean inSession() {
        return state == SessionState.CONNECTED || state == SessionState.DISCONNECTING;
    }

    /** Hands a message to the writer; it reaches the wire after everything handed over before it. */
    private void write(Link to, ClientMessage message) {
        String frame = Codec.encode(message);
        Transport transport = to.transport;
        writer.execute(() -> transport.send(frame));
    }

    private void emit(Consumer<SessionListener> call) {
        events.execute(() -> {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                log.warn("the listener of session {} threw", config.sessionId(), e);
            }
        });
    }

    private void emitError(ErrorCode code, String message) {
        SignalingException error = new SignalingException(code, message);
        emit(l -> l.onError(this, error));
    }

    private void complete(CompletableFuture<Void> future) {
        events.execute(() -> future.complete(null));
    }

    private void fail(CompletableFuture<Void> future, SignalingException failure) {
        events.execute(() -> future.completeExceptionally(failure));
    }

    /** A future failed at once; any thread, no lock needed. */
    private static CompletableFuture<Void> failed(ErrorCode code, String message) {
        return CompletableFuture.failedFuture(new SignalingException(code, message));
    }

    private void replaceTimer(ScheduledFuture<?> next) {
        if (timer != null) timer.cancel(false);
        timer = next;
    }

    private ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        try {
            return config.scheduler().schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.error("the session's scheduler refused a timer; is it shut down?", e);
            return null;
        }
    }

    private ScheduledFuture<?> scheduleEvery(Runnable task, Duration period) {
        try {
            return config.scheduler().scheduleAtFixedRate(task, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.error("the session's scheduler refused a timer; is it shut down?", e);
            return null;
        }
    }

    private long now() {
        return config.clock().millis();
    }

    private static Connection toConnection(ConnectionInfo info) {
        return new Connection(info.id(), Instant.ofEpochMilli(info.createdAt()), info.data());
    }

    private static String describe(SessionState state) {
        return switch (state) {
            case DISCONNECTED -> "not connected";
            case CONNECTING -> "still connecting (wait for connect() to complete)";
            case CONNECTED -> "connected";
            case RECONNECTING -> "reconnecting";
            case DISCONNECTING -> "disconnecting";
        };
    }

    private static String describe(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "Session[" + config.sessionId() + ", " + state
                    + (self == null ? "" : ", as " + self.getConnectionId()) + "]";
        }
    }

    /** A signal waiting in the queue, the future its sender holds, and its place in the caller's order. */
    private record Queued(QueuedSignal info, CompletableFuture<Void> future, long order) {}

    /**
     * A signal handed to the writer: kept until answered, and for sending again after a resume.
     *
     * @param paced whether it goes at the pace after a reconnection (queued, or sent again); a paced
     *              signal refused for the rate is sent again instead of failing
     * @param order its place in the caller's order
     */
    private record PendingSend(ClientMessage.SendSignal message, SignalOptions options,
                               CompletableFuture<Void> future, boolean paced, long order) {
        PendingSend asPaced() {
            return paced ? this : new PendingSend(message, options, future, true, order);
        }
    }

    /**
     * One attempt's link to the server, and what the session knows of it. Its own listener, so each
     * event says which link it is about and a stale link's events are told apart. Fields are guarded by
     * the session's lock.
     */
    private final class Link implements TransportListener {
        final Transport transport;
        final String token;
        /** Whether the transport reported open; set once by linkOpened. */
        boolean open;
        /** Whether Leave was handed to the writer; set once by leave(), so it is sent once. */
        boolean leaving;
        /** When the last frame arrived, by the clock; set by every frame, read by the heartbeat. */
        long lastHeardMillis;

        Link(Transport transport, String token) {
            this.transport = transport;
            this.token = token;
            this.lastHeardMillis = now();
        }

        @Override
        public void onOpen() {
            linkOpened(this);
        }

        @Override
        public void onMessage(String frame) {
            frameReceived(this, frame);
        }

        @Override
        public void onClosed(int code, String reason) {
            linkEnded(this, code, reason == null ? "" : reason, null);
        }

        @Override
        public void onFailure(Throwable failure) {
            linkEnded(this, ABNORMAL_CLOSURE, "", failure);
        }
    }
}
