package io.signalbox.server;

import io.signalbox.protocol.Codec;
import io.signalbox.protocol.ConnectionInfo;
import io.signalbox.protocol.Limits;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.server.auth.TokenGrant;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * The live sessions and the routing of signals between their connections. A session exists while
 * someone is in it; nothing of it outlives the server.
 *
 * <p>There is no lock shared by all sessions: the map is concurrent, each room has its own lock for
 * joins and leaves, and routing reads a room's member array without locking.
 */
final class SessionRegistry {
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final Clock clock;
    private final RandomGenerator random;
    private final long reconnectWindowMs;
    private final long heartbeatMs;

    SessionRegistry(Clock clock, RandomGenerator random, long reconnectWindowMs, long heartbeatMs) {
        this.clock = clock;
        this.random = random;
        this.reconnectWindowMs = reconnectWindowMs;
        this.heartbeatMs = heartbeatMs;
    }

    /**
     * Adds a new connection to its session: it is told who is there, then everyone else is told it
     * joined. Both happen under the room's lock, so that every member sees one order of joins and
     * leaves, and the newcomer hears of no signal before its welcome.
     */
    Peer join(TokenGrant grant, Outlet outlet) {
        while (true) {
            Room room = rooms.computeIfAbsent(grant.sessionId(), Room::new);
            synchronized (room) {
                if (room.isClosed()) continue; // emptied and dropped meanwhile: take the new one
                Peer peer = new Peer(UUID.randomUUID().toString(), clock.millis(), grant.connectionData(),
                        grant.role(), room, newResumeToken(), outlet);
                Peer[] others = room.members();
                List<ConnectionInfo> infos = new ArrayList<>(others.length);
                for (Peer other : others) infos.add(other.info());
                peer.send(Codec.encode(new ServerMessage.Connected(Limits.PROTOCOL_VERSION, peer.info(), infos,
                        peer.resumeToken, reconnectWindowMs, heartbeatMs, clock.millis())));
                room.add(peer);
                String joined = Codec.encode(new ServerMessage.Joined(peer.info()));
                for (Peer other : others) other.send(joined);
                return peer;
            }
        }
    }

    /**
     * Removes a connection from its session and tells the others why. Returns false when it had
     * already left, so that each leave is reported once.
     */
    boolean leave(Peer peer, Reason reason) {
        Room room = peer.room;
        synchronized (room) {
            if (!room.remove(peer)) return false;
            if (room.isClosed()) rooms.remove(room.sessionId, room);
            String left = Codec.encode(new ServerMessage.Left(peer.id, reason));
            for (Peer other : room.members()) other.send(left);
            return true;
        }
    }

    /**
     * Routes a signal that has passed the limits.
     *
     * @param from the sending connection, or null for the server's REST API
     * @param to   the receiving connection's id, or null for everyone in the session
     * @return false when the receiver (or, for everyone, anyone) is not in the session
     */
    boolean route(String sessionId, Peer from, String to, String type, String data) {
        Room room = rooms.get(sessionId);
        if (room == null) return false;
        long now = clock.millis();
        String fromId = from == null ? null : from.id;
        if (to == null) {
            Peer[] members = room.members();
            if (members.length == 0) return false;
            // Encoded once for every receiver: the frame is the same for all.
            String frame = Codec.encode(new ServerMessage.Signal(type, data, fromId, false, now));
            for (Peer member : members) member.sendSignal(frame);
            return true;
        }
        Peer receiver = room.find(to);
        if (receiver == null) return false;
        receiver.sendSignal(Codec.encode(new ServerMessage.Signal(type, data, fromId, true, now)));
        return true;
    }

    /** The connections now in a session, in the order they joined. */
    List<Peer> connections(String sessionId) {
        Room room = rooms.get(sessionId);
        return room == null ? List.of() : List.of(room.members());
    }

    Peer find(String sessionId, String connectionId) {
        Room room = rooms.get(sessionId);
        return room == null ? null : room.find(connectionId);
    }

    Collection<Room> rooms() {
        return rooms.values();
    }

    int sessionCount() {
        return rooms.size();
    }

    int connectionCount() {
        int n = 0;
        for (Room room : rooms.values()) n += room.members().length;
        return n;
    }

    private String newResumeToken() {
        byte[] bytes = new byte[18];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
