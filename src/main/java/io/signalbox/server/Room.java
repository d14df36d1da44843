package io.signalbox.server;

import io.signalbox.protocol.ConnectionInfo;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The connections of one session. Membership changes under the room's lock; routing reads the member
 * array and the index by id without any lock: the array is replaced, never changed in place, and the
 * index is a concurrent map. Both change together under the lock, the index first on join and last on
 * leave, so that whoever can see a member in the array can also find it by id.
 */
final class Room {
    private static final Peer[] NONE = new Peer[0];

    final String sessionId;
    /** Everyone in the session; replaced under {@code this} by join and leave, read by routing. */
    private volatile Peer[] members = NONE;
    /**
     * The members by connection id, so that a signal to one costs the same in a session of any size;
     * changed under {@code this} with {@link #members}, read by routing.
     */
    private final ConcurrentHashMap<String, Peer> byId = new ConcurrentHashMap<>();
    /** Set, under {@code this}, when the last member left and the room was dropped from the registry. */
    private boolean closed;
    /**
     * In a cluster, the writes to this node's members waiting for Redis to have their signals, the
     * latest last (each follows the one before); guarded by {@code this}.
     */
    private java.util.concurrent.CompletableFuture<?> written = java.util.concurrent.CompletableFuture.completedFuture(null);
    /** Who left lately and why, oldest first, for clients that were away; guarded by {@code this}. */
    private final ArrayDeque<Departure> departures = new ArrayDeque<>();

    private record Departure(String connectionId, Reason reason, long at) {}

    /** How many departures are remembered at most, whatever their age. */
    private static final int MAX_DEPARTURES = 256;

    /**
     * The members on other nodes of a cluster, by connection id, as the backplane reports them; null on
     * a single node. Changed under {@code this}, read by routing.
     */
    private final ConcurrentHashMap<String, ConnectionInfo> remote;

    Room(String sessionId) {
        this(sessionId, false);
    }

    Room(String sessionId, boolean clustered) {
        this.sessionId = sessionId;
        this.remote = clustered ? new ConcurrentHashMap<>() : null;
    }

    /** Called with {@code this} held; false when the connection was known already. */
    boolean addRemote(ConnectionInfo connection) {
        return remote.putIfAbsent(connection.id(), connection) == null;
    }

    /** Called with {@code this} held; false when the connection was not known. */
    boolean removeRemote(String connectionId) {
        return remote.remove(connectionId) != null;
    }

    /** Whether a member on another node has this id; without a lock. */
    boolean hasRemote(String connectionId) {
        return remote.containsKey(connectionId);
    }

    /** Whether the session has members on other nodes; without a lock. */
    boolean hasRemotes() {
        return !remote.isEmpty();
    }

    /** The members on other nodes, in no particular order. */
    List<ConnectionInfo> remotes() {
        return List.copyOf(remote.values());
    }

    Peer[] members() {
        return members;
    }

    /** The member with this connection id, or null; without a lock. */
    Peer find(String connectionId) {
        return byId.get(connectionId);
    }

    /** Called with {@code this} held: the latest write to members waiting for Redis (see ClusterRouting). */
    java.util.concurrent.CompletableFuture<?> written() {
        return written;
    }

    /** Called with {@code this} held. */
    void written(java.util.concurrent.CompletableFuture<?> latest) {
        written = latest;
    }

    /** Called with {@code this} held. */
    boolean isClosed() {
        return closed;
    }

    /** Called with {@code this} held. */
    void add(Peer peer) {
        byId.put(peer.id, peer);
        Peer[] next = Arrays.copyOf(members, members.length + 1);
        next[next.length - 1] = peer;
        members = next;
    }

    /** Called with {@code this} held. */
    void recordDeparture(String connectionId, Reason reason, long now) {
        departures.addLast(new Departure(connectionId, reason, now));
        if (departures.size() > MAX_DEPARTURES) departures.removeFirst();
    }

    /** Called with {@code this} held: the departures at or after {@code since}, oldest first. */
    List<ServerMessage.Departure> departuresSince(long since) {
        while (!departures.isEmpty() && departures.peekFirst().at() < since) departures.removeFirst();
        List<ServerMessage.Departure> list = new ArrayList<>(departures.size());
        for (Departure d : departures) list.add(new ServerMessage.Departure(d.connectionId(), d.reason()));
        return list;
    }

    /** Called with {@code this} held; returns whether the peer was a member. */
    boolean remove(Peer peer) {
        Peer[] current = members;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == peer) {
                Peer[] next = new Peer[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                members = next;
                byId.remove(peer.id, peer);
                if (next.length == 0) closed = true;
                return true;
            }
        }
        return false;
    }
}
