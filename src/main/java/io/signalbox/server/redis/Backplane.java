package io.signalbox.server.redis;

import io.signalbox.protocol.ConnectionInfo;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * What a server node shares with the other nodes of its cluster: events on each session's channel and
 * a registry of every node's connections. The session registry calls it only when the server is
 * configured with a backplane; a single node has none and pays nothing for it.
 *
 * <p>Publishing never blocks: while the backplane is cut off, events wait in a bounded backlog and go
 * out in order when it is back. Queries ({@link #connections}) ask Redis and wait a short time for the
 * answer.
 */
public interface Backplane extends AutoCloseable {

    /** This node's id, unique in the cluster and new each time the node starts. */
    String nodeId();

    /** Connects and starts refreshing this node's registrations; events go to {@code listener}. */
    void start(Listener listener);

    /**
     * Publishes a signal to the other nodes with members in the session.
     *
     * @return a stage that completes when Redis has it (at once when it waits in the backlog while
     *         Redis is away); null when the backplane is cut off and its backlog is full: nothing of it
     *         went out, and nothing of it will
     */
    CompletionStage<?> publishSignal(String sessionId, ClusterEvent.Signal signal);

    /**
     * Publishes a change of membership or a force disconnect. These are never refused: a backlog full
     * of signals still takes them, since a leave cannot fail and the others must hear of it.
     */
    void publish(String sessionId, ClusterEvent event);

    /**
     * Starts hearing the session's channel, and waits (briefly) until Redis confirms it, so that a
     * member list read after this misses no event. While cut off, it returns at once: the channel is
     * heard when Redis is back.
     */
    void subscribe(String sessionId);

    /** Stops hearing the session's channel: no member of it is on this node any more. */
    void unsubscribe(String sessionId);

    /** Records a connection of this node in the session's shared list. */
    void register(String sessionId, ConnectionInfo connection);

    /** Removes a connection from the session's shared list. */
    void unregister(String sessionId, String connectionId);

    /**
     * The session's connections on every node, from the shared registry, by connection id.
     *
     * @throws BackplaneUnavailableException when Redis does not answer
     */
    Map<String, Member> connections(String sessionId);

    /**
     * Keeps what another node needs to take over a connection of this node, should this node die: the
     * session, the connection, its role, a hash of its resume token, the highest client seq handled,
     * and its cursor: the position in the session's signals up to which it has had what concerns it
     * ({@code cursor}; when null, kept as it is, or for a new connection the latest signal's).
     * Expires one reconnection window after this node last refreshed it; removed by {@link #forget}.
     */
    void keepResumable(String sessionId, Resumable connection, String cursor);

    /**
     * The highest client seq handled for a connection of this node, so that a node that takes it over
     * drops what the client sends again. Never blocks: written in order on the command connection,
     * after everything this node published for the signal; the stage completes when Redis has it (and
     * so every event published before it), or at once while Redis is away (they wait in the backlog).
     */
    CompletionStage<?> handled(String connectionId, long lastSeq);

    /**
     * Completes when Redis has answered every command this node handed it so far, signals published
     * included; at once while Redis is away.
     */
    CompletionStage<?> written();

    /**
     * Copies a change of a connection's replay buffer: {@code frame} (null for none) added at its end
     * as the {@code signalsSent}-th signal, then {@code dropped} frames dropped from its head; {@code
     * position}, when not null, is the signal's position in the session's signals, the connection's
     * new cursor. Never blocks; written in order on the command connection.
     */
    void replayAppended(String connectionId, String frame, long signalsSent, int dropped, String position);

    /** Replaces a connection's replay copy with {@code frames}, after an outage that may have lost it. */
    void replayRewritten(String connectionId, List<String> frames, long signalsSent);

    /** Copies the dropping of {@code dropped} frames from the head of a connection's replay buffer. */
    void replayTrimmed(String connectionId, int dropped);

    /**
     * This node gives up a connection for a client that resumed on another node: another node may take
     * it over now, from the state this node last wrote (every write for it was issued before this).
     * Called on the thread that handles the events heard, after the connection stopped being a member
     * here; unless taken over within the window, it is reported left then.
     */
    void release(String sessionId, String connectionId);

    /**
     * A REST force disconnect of a connection this node does not have: when its node lives, that node
     * is to act ({@link Kick#OWNER_ALIVE}: publish a kick); when its node is dead or released it and no
     * node has taken it over, it is taken out of the registry here, atomically with any takeover, so
     * that none can follow ({@link Kick#REMOVED}).
     *
     * @throws BackplaneUnavailableException when Redis does not answer
     */
    Kick kick(String sessionId, String connectionId);

    /** The answer to {@link #kick}. */
    enum Kick {
        /** No node has the connection in the session. */
        UNKNOWN,
        /** Its node lives, and is to be told. */
        OWNER_ALIVE,
        /** It was waiting to be taken over, and is gone now. */
        REMOVED
    }

    /** The connection left for good: no node may take it over. */
    void forget(String connectionId);

    /**
     * Takes over a connection whose node died, for a client that resumes here within its window: only
     * when the registry has the connection in this session with this resume token hash, and its node
     * is dead. On success the registry says this node has it, and nobody reports it left.
     *
     * @throws BackplaneUnavailableException when Redis does not answer
     */
    Adoption adopt(String sessionId, String connectionId, String resumeTokenHash);

    /**
     * The session's signals published after {@code position}, oldest first, as the session's bounded
     * stream still has them: what a connection taken over may be owed.
     *
     * @throws BackplaneUnavailableException when Redis does not answer
     */
    SignalHistory signalsAfter(String sessionId, String position);

    /**
     * Runs {@code task} on the thread that handles the events heard, after every event heard so far:
     * what it reads from Redis then includes every event handled before it, and any event handled
     * after it that it also read can be told by its position.
     */
    <T> CompletableFuture<T> inOrder(Supplier<T> task);

    /**
     * Compares two positions in a session's signals ({@code MILLIS-SEQ}, as Redis numbers stream
     * entries): negative, zero or positive as {@code a} comes before, at or after {@code b}.
     */
    static int comparePositions(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int byTime = Long.compare(Long.parseLong(a, 0, da, 10), Long.parseLong(b, 0, db, 10));
        if (byTime != 0) return byTime;
        return Long.compare(Long.parseLong(a, da + 1, a.length(), 10), Long.parseLong(b, db + 1, b.length(), 10));
    }

    /** Whether Redis is reachable and this node's events flow directly (no backlog waiting). */
    boolean available();

    /** Signals waiting for Redis to come back; for health. */
    int backlog();

    @Override
    void close();

    /**
     * What a node keeps in Redis about one of its connections so that another may take it over.
     *
     * @param connection      the connection's id, creation time and data
     * @param role            its role's wire name
     * @param resumeTokenHash the SHA-256 of its resume token, in hex: the token itself never leaves the node
     * @param lastSeq         the highest client seq handled
     */
    record Resumable(ConnectionInfo connection, String role, String resumeTokenHash, long lastSeq) {}

    /** The answer to {@link #adopt}. */
    sealed interface Adoption {
        /**
         * Taken over: this node has it now.
         *
         * @param signalsSent how many signals were written to it, as its dead node last said
         * @param frames      its replay buffer as its dead node left it, oldest first
         * @param cursor      the position in the session's signals up to which it had what concerned it,
         *                    or null when Redis lost it
         * @param released    whether its node released it (alive) rather than died
         */
        record Adopted(Resumable connection, long signalsSent, List<String> frames, String cursor, boolean released)
                implements Adoption {}

        /**
         * Its node looks alive, and has not released it.
         *
         * @param sinceRefreshMs how long ago that node last said it was alive (about: from its key's
         *                       expiry); a live node says so every second
         */
        record OwnerAlive(String node, long sinceRefreshMs) implements Adoption {}

        /** This node took it over already, and is still making it ready: the client should try again. */
        record TakingOver() implements Adoption {}

        /** No such connection in the session, a wrong token, or its window ran out. */
        record Unknown() implements Adoption {}
    }

    /**
     * A stretch of a session's signals, oldest first.
     *
     * @param last    the position of the last entry read (the position asked after when none was)
     * @param trimmed whether signals after the position asked were dropped by the stream's bound
     */
    record SignalHistory(List<PastSignal> signals, String last, boolean trimmed) {}

    /** A signal as the session's stream keeps it: its position, the node that published it, the signal. */
    record PastSignal(String position, String node, ClusterEvent.Signal signal) {}

    /** A connection in the shared registry, and the node that has it. */
    record Member(ConnectionInfo connection, String node) {}

    /** How the backplane reaches the session registry; called on the backplane's own threads. */
    interface Listener {
        /**
         * Another node published an event on a session this node hears; {@code position} is a signal's
         * position in the session's signals, null for any other event.
         */
        void onEvent(String sessionId, ClusterEvent event, String position);

        /**
         * Whether every signal this node routed in the session so far has been written to its members
         * here: only then may the position of a signal heard count as this node's progress, since a
         * signal of its own published before it may still be waiting to be written here.
         */
        boolean settled(String sessionId);

        /**
         * A node stopped refreshing its registrations and its connections were taken out of the shared
         * registry; this node was the one to notice, and tells everyone.
         */
        void onConnectionsLost(String sessionId, List<String> connectionIds);

        /**
         * Redis is back after an outage: it may have lost everything, so the backplane asks for this
         * node's connections to register them again.
         */
        Map<String, List<ConnectionInfo>> localConnections();

        /**
         * This node's connections are registered again after an outage: what another node needs to
         * take them over is written again too, since Redis may have lost it.
         */
        void onRejoined();

        /**
         * Redis is back and the backlog has gone out: the registry may bring its view of the other
         * nodes' connections up to date.
         */
        void onRecovered();
    }
}
