package io.signalbox.client.internal;

import io.signalbox.client.Connection;
import io.signalbox.client.DisconnectReason;
import io.signalbox.client.ErrorCode;
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
import io.signalbox.protocol.ServerMessage;
import io.signalbox.protocol.WireError;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SequencedMap;
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

    /** A link from which nothing was heard for this many heartbeat intervals is taken as dead. */
    static final int SILENT_HEARTBEATS_BEFORE_DEAD = 3;
    /** The close code WebSocket reserves for a link that ended without a close frame. */
    private static final int ABNORMAL_CLOSURE = 1006;
    /** How long the event and writer threads wait for more work before they end. */
    private static final long THREAD_KEEP_ALIVE_MS = 10_000;

    private final SessionConfig config;
    private final SessionListener listener;
    private final SerialExecutor events = new SerialExecutor("signalbox-session-events", THREAD_KEEP_ALIVE_MS);
    private final SerialExecutor writer = new SerialExecutor("signalbox-session-writer", THREAD_KEEP_ALIVE_MS);
    private final Object lock = new Object();

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
    /** The seq of the next signal; 1 for the first signal of each connection. */
    private long nextSeq;
    /** Signals received on this connection; counted per Signal, told to the server with each ping. */
    private long received;
    /** The future connect() returned, while CONNECTING; settled and cleared when the attempt ends. */
    private CompletableFuture<Void> connectFuture;
    /** The future disconnect() returned, while DISCONNECTING; completed (after onDisconnected) at the end. */
    private CompletableFuture<Void> disconnectFuture;
    /** The error the server announced while CONNECTING, to fail the connect with when its close follows. */
    private SignalingException connectError;
    /** Why the last disconnection happened, in words; set at the end, cleared by connect(). */
    private String disconnectMessage;
    /**
     * The one timer of the current state: the connect timeout (CONNECTING), the heartbeat (CONNECTED),
     * or the wait for acks and then for the close (DISCONNECTING); replaced on each change of state.
     */
    private ScheduledFuture<?> timer;

    /** A session, not yet connected, as the builder configured it. */
    public RealSession(SessionConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = config.listener();
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
                transport = config.transports().create();
            } catch (RuntimeException e) {
                log.error("the transport factory failed", e);
                return failed(ErrorCode.CONNECT_FAILED, "cannot make a link: " + Errors.describe(e));
            }
            attempt = new Link(transport, token);
            link = attempt;
            state = SessionState.CONNECTING;
            nextSeq = 1;
            received = 0;
            connectError = null;
            disconnectMessage = null;
            joined = connectFuture = new CompletableFuture<>();
            replaceTimer(schedule(() -> connectOverdue(attempt), config.connectTimeout()));
        }
        log.debug("connecting to session {} at {}", config.sessionId(), config.webSocketUri());
        try {
            attempt.transport.open(config.webSocketUri(), attempt);
        } catch (RuntimeException e) {
            attempt.onFailure(e);
        }
        return joined;
    }

    private void linkOpened(Link opened) {
        synchronized (lock) {
            if (opened != link || state != SessionState.CONNECTING) return;
            opened.open = true;
            write(opened, new ClientMessage.Connect(Limits.PROTOCOL_VERSION, config.sessionId(), opened.token));
        }
    }

    private void connectOverdue(Link attempt) {
        synchronized (lock) {
            if (attempt != link || state != SessionState.CONNECTING) return;
            failConnect(connectError != null ? connectError : new SignalingException(ErrorCode.CONNECT_FAILED,
                    "the server at " + config.webSocketUri() + " did not answer within "
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
        current.heartbeatMillis = connected.heartbeatMs();
        replaceTimer(current.heartbeatMillis > 0
                ? scheduleEvery(() -> heartbeat(current), Duration.ofMillis(current.heartbeatMillis))
                : null);
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
            return new SignalingException(ErrorCode.CONNECT_FAILED,
                    "cannot connect to " + config.webSocketUri() + ": " + Errors.describe(failure), failure);
        }
        ErrorCode error = switch (code) {
            case CloseCodes.AUTHENTICATION_FAILED -> ErrorCode.AUTHENTICATION_FAILED;
            case CloseCodes.UNSUPPORTED_PROTOCOL -> ErrorCode.UNSUPPORTED_PROTOCOL;
            case CloseCodes.RESUME_REFUSED -> ErrorCode.RESUME_REFUSED;
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
                // RECONNECTING + options.retryAfterReconnect() will queue here, in the reconnection work.
                if (state != SessionState.CONNECTED) {
                    return failed(ErrorCode.NOT_CONNECTED, "cannot send: the session is " + describe(state));
                }
                ClientMessage.SendSignal message = new ClientMessage.SendSignal(nextSeq++, type, data,
                        to == null ? null : to.getConnectionId());
                CompletableFuture<Void> sent = new CompletableFuture<>();
                inFlight.put(message.seq(), new PendingSend(message, options, sent));
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
        if (failure == null) complete(pending.future()); else fail(pending.future(), failure);
        if (state == SessionState.DISCONNECTING && inFlight.isEmpty() && !link.leaving) leave(link);
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
                case ServerMessage.Nack nack -> settle(nack, nack.seq(), Errors.fromWire(nack.code(), nack.message()));
                case ServerMessage.Signal signal -> signalReceived(signal);
                case ServerMessage.Joined joined -> connectionJoined(joined);
                case ServerMessage.Left left -> connectionLeft(left);
                case ServerMessage.Error error -> serverError(error);
                case ServerMessage.Pong pong -> { } // hearing it (lastHeardMillis) is all a pong is for
                case ServerMessage.Resumed resumed -> unexpected(resumed);
            }
        }
    }

    private void signalReceived(ServerMessage.Signal message) {
        if (!inSession()) {
            unexpected(message);
            return;
        }
        received++;
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
        emit(l -> l.onError(this, error));
    }

    private void unexpected(ServerMessage message) {
        emitError(ErrorCode.MALFORMED_MESSAGE, "the server sent '" + message.getClass().getSimpleName()
                + "', which does not fit while the session is " + describe(state));
    }

    // ---- heartbeat ----

    private void heartbeat(Link current) {
        synchronized (lock) {
            if (current != link || state != SessionState.CONNECTED) return;
            long silent = now() - current.lastHeardMillis;
            if (silent < SILENT_HEARTBEATS_BEFORE_DEAD * current.heartbeatMillis) {
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
                case RECONNECTING, DISCONNECTED -> { } // no link is current in these states
            }
        }
        ended.transport.abort();
    }

    /**
     * The link of a session that was in it is gone, unasked. Today that ends the session; this is where
     * the reconnection work will enter RECONNECTING instead. The caller aborts the transport.
     */
    private void linkLost(String why) {
        log.debug("session {} lost its link: {}", config.sessionId(), why);
        finish(DisconnectReason.NETWORK_DISCONNECTED, why);
    }

    /**
     * Ends the session's membership: fails what is in flight, reports onDisconnected, then completes
     * the disconnect future. The caller aborts the transport, after releasing the lock.
     */
    private void finish(DisconnectReason reason, String message) {
        state = SessionState.DISCONNECTED;
        link = null;
        replaceTimer(null);
        self = null;
        connections.clear();
        disconnectMessage = message;
        // The contract's DELIVERY_UNKNOWN is for a lost link that cannot be resumed; the brief for this
        // version, which has no resume yet, asks for NOT_CONNECTED here.
        failInFlight(ErrorCode.NOT_CONNECTED, reason == DisconnectReason.CLIENT_DISCONNECTED
                ? "disconnect() was called before the server acknowledged the signal"
                : "the connection ended (" + reason + ") before the server acknowledged the signal");
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
                    finish(DisconnectReason.CLIENT_DISCONNECTED, null);
                }
                default -> throw new AssertionError(state);
            }
        }
        if (toAbort != null) toAbort.abort();
        return done;
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

    /** A signal handed to the writer: kept until answered, and for sending again after a resume. */
    private record PendingSend(ClientMessage.SendSignal message, SignalOptions options,
                               CompletableFuture<Void> future) {}

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
        /** The server's heartbeat interval, or 0 for none; set on Connected. */
        long heartbeatMillis;
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
