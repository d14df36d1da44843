package io.signalbox.client;

/**
 * What happens in a {@link Session}. Every method has a no-op default: override the ones you need.
 *
 * <h2>Threading</h2>
 * Each session calls its listener on one event thread of its own (named
 * {@code signalbox-session-events}), one call at a time, in the order things happened. Never under
 * a lock of the SDK, so a method may call back into the session, but a long-running method holds up
 * every later event of that session: hand slow work to another thread. Do not block in a method
 * waiting for a future of the same session ({@code session.disconnect().join()}): those futures are
 * completed on that same thread, after the method returns.
 *
 * <p>A method that throws is logged and otherwise ignored; later events still arrive.
 */
public interface SessionListener {

    /**
     * This client joined the session. Called before {@link #onConnectionCreated} for the
     * connections already there, and before the future of {@link Session#connect} completes.
     */
    default void onConnected(Session session) {}

    /**
     * This client left the session for good. After it, every send fails with
     * {@link ErrorCode#NOT_CONNECTED}, and the future of every signal not yet acknowledged has failed.
     * When the server or the network ended the connection, {@link Session#getDisconnectMessage()}
     * says why, in words.
     *
     * @param reason why: {@link DisconnectReason#CLIENT_DISCONNECTED} after
     *               {@link Session#disconnect()}; {@link DisconnectReason#FORCE_DISCONNECTED} or
     *               {@link DisconnectReason#SERVER_CLOSED} when the server ended the connection;
     *               {@link DisconnectReason#NETWORK_DISCONNECTED} when the link was lost
     */
    default void onDisconnected(Session session, DisconnectReason reason) {}

    /**
     * Another connection is in the session: once for each one already there when this client joins,
     * then for each that joins later.
     */
    default void onConnectionCreated(Session session, Connection connection) {}

    /** Another connection left the session, for the given reason. */
    default void onConnectionDestroyed(Session session, Connection connection, DisconnectReason reason) {}

    /**
     * A signal arrived. The default calls {@link #onSignalReceived} with its parts; override this one
     * instead to see whether the signal was addressed to this connection alone and when the server
     * routed it.
     */
    default void onSignal(Session session, Signal signal) {
        onSignalReceived(session, signal.type(), signal.data(), signal.from());
    }

    /**
     * A signal arrived (called by the default {@link #onSignal}).
     *
     * @param from the sending connection, or {@code null} when the server sent the signal (its REST API)
     */
    default void onSignalReceived(Session session, String type, String data, Connection from) {}

    /**
     * The link was lost unexpectedly and the session is trying to restore it, within the server's
     * reconnection window. Meanwhile signals sent with {@link SignalOptions#retryAfterReconnect()} wait
     * in the queue ({@link #onQueueChanged}); others fail at once with {@link ErrorCode#NOT_CONNECTED}.
     * Followed by {@link #onReconnected} or by {@link #onDisconnected} with
     * {@link DisconnectReason#NETWORK_DISCONNECTED}.
     */
    default void onReconnecting(Session session) {}

    /**
     * A reconnection attempt is scheduled.
     *
     * @param attempt       its number, from 1 for the first attempt after a drop
     * @param nextAttemptAt when it will be made, by the session's clock
     */
    default void onReconnectAttempt(Session session, int attempt, java.time.Instant nextAttemptAt) {}

    /**
     * The link was restored after {@link #onReconnecting}: the same connection, with the same id. The
     * others in the session saw no leave and no join. Followed at once by {@link #onResumed} with the
     * details, and by {@link #onSignalsMissed} when some signals could not be kept.
     */
    default void onReconnected(Session session) {}

    /** What the reconnection reported by the preceding {@link #onReconnected} did. */
    default void onResumed(Session session, Resumption resumption) {}

    /**
     * Signals addressed to this client while it was away could not all be kept by the server:
     * {@code count} of them are lost. Called right after {@link #onReconnected}, so that an app can
     * show the gap.
     */
    default void onSignalsMissed(Session session, int count) {}

    /**
     * The queue of signals waiting for the reconnection changed: a signal was queued, cancelled, or
     * sent after reconnecting, or the queue was failed at the end.
     *
     * @param queued a snapshot of the queue, oldest first
     */
    default void onQueueChanged(Session session, java.util.List<QueuedSignal> queued) {}

    /**
     * Something went wrong that does not end the session: the server reported an error about a
     * message of this client's, or sent something this SDK could not read. Failures of a connect or
     * a send are reported through their futures, not here.
     */
    default void onError(Session session, SignalingException exception) {}
}
