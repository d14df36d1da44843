package io.signalbox.server;

import io.signalbox.protocol.Codec;
import io.signalbox.protocol.ConnectionInfo;
import io.signalbox.protocol.Limits;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.server.auth.TokenGrant;
import io.signalbox.server.redis.Backplane;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live sessions and the routing of signals between their connections. A session exists while
 * someone is in it; nothing of it outlives the server.
 *
 * <p>There is no lock shared by all sessions: the map is concurrent, each room has its own lock for
 * joins and leaves, and routing reads a room's member array without locking.
 */
final class SessionRegistry {
    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);

    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final Clock clock;
    private final RandomGenerator random;
    private final ScheduledExecutorService timers;
    private final long reconnectWindowMs;
    private final long heartbeatMs;
    private final int replayMaxSignals;
    private final long replayMaxBytes;
    private final RateLimits rateLimits;
    private final int maxConnectionsPerSession;
    private final java.util.function.LongSupplier nanoTime;
    /** The sessions' other nodes when the server is one node of a cluster; null on a single node. */
    private final ClusterRouting cluster;
    /** Makes a room, made for a cluster or not; one function, so that a join allocates none. */
    private final java.util.function.Function<String, Room> newRoom;

    SessionRegistry(ServerConfig config, RandomGenerator random, ScheduledExecutorService timers) {
        this(config, random, timers, null);
    }

    /** @param backplane the cluster's backplane, or null for a single node */
    SessionRegistry(ServerConfig config, RandomGenerator random, ScheduledExecutorService timers, Backplane backplane) {
        this.clock = config.clock();
        this.random = random;
        this.timers = timers;
        this.reconnectWindowMs = config.reconnectWindow().toMillis();
        this.heartbeatMs = config.heartbeat().toMillis();
        this.replayMaxSignals = config.replayMaxSignals();
        this.replayMaxBytes = config.replayMaxBytes();
        this.rateLimits = config.rateLimits();
        this.maxConnectionsPerSession = config.maxConnectionsPerSession();
        this.nanoTime = config.nanoTime();
        this.cluster = backplane == null ? null : new ClusterRouting(this, rooms, backplane, clock);
        this.newRoom = backplane == null ? Room::new : id -> new Room(id, true);
    }

    /** What the backplane calls with the other nodes' events; null on a single node. */
    ClusterRouting cluster() {
        return cluster;
    }

    /**
     * Adds a new connection to its session: it is told who is there, then everyone else is told it
     * joined. Both happen under the room's lock, so that every member sees one order of joins and
     * leaves, and the newcomer hears of no signal before its welcome.
     *
     * @return the new connection, or null when the session already has the most connections allowed
     *         (those away within their reconnection window count: they may come back)
     */
    Peer join(TokenGrant grant, Outlet outlet) {
        while (true) {
            Room room = rooms.computeIfAbsent(grant.sessionId(), newRoom);
            synchronized (room) {
                if (room.isClosed()) continue; // emptied and dropped meanwhile: take the new one
                Peer[] others = room.members();
                if (cluster != null && others.length == 0) cluster.open(room);
                List<ConnectionInfo> remotes = cluster == null ? List.of() : room.remotes();
                if (others.length + remotes.size() >= maxConnectionsPerSession) return null;
                SignalGate gate = SignalGate.create(rateLimits, nanoTime);
                Peer peer = new Peer(UUID.randomUUID().toString(), clock.millis(), grant.connectionData(),
                        grant.role(), room, newResumeToken(), outlet, replayMaxSignals, replayMaxBytes, gate, cluster);
                List<ConnectionInfo> infos = new ArrayList<>(others.length);
                for (Peer other : others) infos.add(other.info());
                infos.addAll(remotes);
                // A member first, then welcomed: a client that has its welcome can be reached at once
                // (routing reads the members without this lock), and signals routed to it in between
                // wait in the peer for the welcome to go first.
                room.add(peer);
                peer.welcome(Codec.encode(new ServerMessage.Connected(Limits.PROTOCOL_VERSION, peer.info(), infos,
                        peer.resumeToken, reconnectWindowMs, heartbeatMs, clock.millis(),
                        peer.rates(false))));
                String joined = Codec.encode(new ServerMessage.Joined(peer.info()));
                for (Peer other : others) other.send(joined);
                if (cluster != null) cluster.joined(room, peer);
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
            // Before the room is dropped: a new room for the session subscribes after this unsubscribes.
            if (cluster != null) cluster.left(room, peer, reason);
            if (room.isClosed()) rooms.remove(room.sessionId, room);
            room.recordDeparture(peer.id, reason, clock.millis());
            String left = Codec.encode(new ServerMessage.Left(peer.id, reason));
            for (Peer other : room.members()) other.send(left);
            return true;
        }
    }

    /**
     * The peer's socket dropped without a final close: it stays in the session, unseen by the others,
     * until it resumes or the reconnection window runs out.
     */
    void detach(Peer peer, Outlet from) {
        if (peer.detach(from, p -> timers.schedule(() -> expire(p), reconnectWindowMs, TimeUnit.MILLISECONDS))) {
            log.info("{} is away; kept for {} ms", peer, reconnectWindowMs);
        }
    }

    private void expire(Peer peer) {
        synchronized (peer.room) {
            if (!peer.isAway()) return;
            log.info("{} did not come back within {} ms", peer, reconnectWindowMs);
            leave(peer, Reason.NETWORK_DISCONNECTED);
            peer.close(io.signalbox.protocol.CloseCodes.GOING_AWAY, "reconnection window ran out");
        }
    }

    /**
     * Takes a connection back on a new socket.
     *
     * @return the peer, now linked to {@code outlet}, or null when the server knows no such connection
     *         or the resume token does not match
     */
    Peer resume(String sessionId, String connectionId, String resumeToken, long received, Outlet outlet) {
        Room room = rooms.get(sessionId);
        if (room == null || room.find(connectionId) == null) {
            return cluster == null ? null : adopt(sessionId, connectionId, resumeToken, received, outlet);
        }
        Outlet replaced;
        Peer peer;
        synchronized (room) {
            peer = room.find(connectionId);
            if (peer == null || !MessageDigest.isEqual(
                    peer.resumeToken.getBytes(StandardCharsets.US_ASCII), resumeToken.getBytes(StandardCharsets.UTF_8))) {
                return null;
            }
            List<ConnectionInfo> others = new ArrayList<>();
            for (Peer other : room.members()) {
                if (other != peer) others.add(other.info());
            }
            if (cluster != null) others.addAll(room.remotes());
            replaced = peer.resume(outlet, received, others, room.departuresSince(clock.millis() - reconnectWindowMs),
                    Codec::encode);
        }
        if (replaced != null) replaced.close(io.signalbox.protocol.CloseCodes.NORMAL, "replaced by a resumed link");
        return peer;
    }

    /**
     * Takes over, for a client resuming here, a connection whose node died: same id, same data, the
     * client's seqs up to the one its old node handled dropped as duplicates, and every signal it is
     * owed replayed: those its old node had written (the copy of its replay buffer) and those routed to
     * it since (the session's signals after its cursor). The other members knew it and hear nothing:
     * to them it never left.
     *
     * @return the peer, or null when no node had it (or the token does not match, or its window ran out)
     * @throws ResumeElsewhereException when its node is alive (the client should resume there), or this
     *         node is still taking it over
     * @throws io.signalbox.server.redis.BackplaneUnavailableException when Redis does not answer
     */
    private Peer adopt(String sessionId, String connectionId, String resumeToken, long received, Outlet outlet) {
        Backplane.Adoption claim = cluster.claim(sessionId, connectionId, resumeToken);
        if (claim instanceof Backplane.Adoption.OwnerAlive owner) {
            // The client resumed here while its node lives (a load balancer sent it here, or its node
            // is out of its reach): that node hands the connection over.
            try {
                claim = cluster.handOver(sessionId, connectionId, resumeToken, owner);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Backplane.Adoption.Adopted adopted = switch (claim) {
            case Backplane.Adoption.Adopted taken -> taken;
            case Backplane.Adoption.OwnerAlive alive -> throw ResumeElsewhereException.keptBy(connectionId, alive.node());
            case Backplane.Adoption.TakingOver busy -> throw ResumeElsewhereException.takingOver(connectionId);
            case Backplane.Adoption.Unknown unknown -> null;
        };
        if (adopted == null) return null;
        // Made a member on the thread that handles the other nodes' events, so that the signals it is
        // owed from the session's stream and those it hears live meet without a gap or an overlap.
        Takeover takeover = new Takeover(sessionId, adopted, resumeToken, received, outlet);
        java.util.concurrent.CompletableFuture<Peer> taking = cluster.backplane().inOrder(takeover::run);
        try {
            return taking.get(TAKEOVER_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            if (takeover.abandon()) throw ResumeElsewhereException.takingOver(connectionId);
            return taking.join();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) throw failure;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            takeover.abandon();
            throw ResumeElsewhereException.takingOver(connectionId);
        }
    }

    /** How long a resuming client's socket waits for a takeover to be made ready before trying again. */
    private static final long TAKEOVER_WAIT_MS = 10_000;

    /**
     * One takeover, made on the events thread. If the socket stops waiting for it first (abandoned),
     * the connection is still taken over, but left away: its client finds it here on its next attempt,
     * or it runs out its window as any connection away does.
     */
    private final class Takeover {
        private final String sessionId;
        private final Backplane.Adoption.Adopted adopted;
        private final String resumeToken;
        private final long received;
        private final Outlet outlet;
        /** 0 waiting, 1 linked to the socket, 2 abandoned by it. */
        private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();

        Takeover(String sessionId, Backplane.Adoption.Adopted adopted, String resumeToken, long received, Outlet outlet) {
            this.sessionId = sessionId;
            this.adopted = adopted;
            this.resumeToken = resumeToken;
            this.received = received;
            this.outlet = outlet;
        }

        /** Called by the socket's thread when it stops waiting; false when the peer is linked already. */
        boolean abandon() {
            return state.compareAndSet(0, 2);
        }

        Peer run() {
            Backplane.Resumable kept = adopted.connection();
            io.signalbox.server.auth.Role role = io.signalbox.server.auth.Role.fromWire(kept.role());
            ConnectionInfo info = kept.connection();
            while (true) {
                Room room = rooms.computeIfAbsent(sessionId, newRoom);
                synchronized (room) {
                    if (room.isClosed()) continue;
                    if (room.members().length == 0) cluster.open(room);
                    Peer peer = new Peer(info.id(), info.createdAt(), info.data(), role, room, resumeToken, null,
                            replayMaxSignals, replayMaxBytes, SignalGate.create(rateLimits, nanoTime), cluster);
                    peer.adopted(received, kept.lastSeq(),
                            new ReplayMirror.Kept(adopted.signalsSent(), adopted.frames()));
                    // Until now this node routed the connection's signals through the session's stream
                    // (under this lock); from here on it writes them itself.
                    String cursor = cluster.catchUp(room, peer, adopted);
                    room.add(peer);
                    room.removeRemote(info.id());
                    cluster.adopted(room, peer, cursor);
                    if (!state.compareAndSet(0, 1)) {
                        detach(peer, null);
                        log.info("{} taken over from a dead node; its client will find it here", peer);
                        return peer;
                    }
                    List<ConnectionInfo> others = new ArrayList<>();
                    for (Peer other : room.members()) {
                        if (other != peer) others.add(other.info());
                    }
                    others.addAll(room.remotes());
                    peer.resume(outlet, received, others, room.departuresSince(clock.millis() - reconnectWindowMs),
                            Codec::encode);
                    log.info("{} taken over from {} node (client seq {} handled there)", peer,
                            adopted.released() ? "a live" : "a dead", kept.lastSeq());
                    return peer;
                }
            }
        }
    }

    /**
     * A signal of the peer's has been handled, and {@code answer} (its ack or nack) goes to the client:
     * at once on a single node; in a cluster once Redis has the seq (for a takeover) and what was
     * published for the signal.
     */
    void handled(Peer peer, long seq, String answer) {
        if (cluster == null) {
            peer.send(answer);
        } else {
            cluster.handled(peer, seq, answer);
        }
    }

    /**
     * Waits, at most {@code atMost}, until what was routed so far has reached the other nodes (Redis
     * has it), so that the node's death from now on cannot keep it from them; at once on a single
     * node, or while Redis is away (it waits in the backlog). A signal Redis is slow to confirm is not
     * failed for it: Lettuce holds it and sends it, in order, as long as this node lives.
     */
    void awaitWritten(java.time.Duration atMost) {
        if (cluster == null) return;
        try {
            cluster.written().toCompletableFuture().get(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.warn("Redis did not confirm a signal within {} ms: {}", atMost.toMillis(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Routes a signal that has passed the limits.
     *
     * @param from the sending connection, or null for the server's REST API
     * @param seq  the sender's number for the signal (0 for the REST API)
     * @param to   the receiving connection's id, or null for everyone in the session
     * @return false when the receiver (or, for everyone, anyone) is not in the session
     * @throws BacklogFullException in a cluster, when the signal cannot reach the other nodes now
     */
    boolean route(String sessionId, Peer from, long seq, String to, String type, String data) {
        if (cluster != null) return cluster.route(sessionId, from, seq, to, type, data);
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

    int maxConnectionsPerSession() {
        return maxConnectionsPerSession;
    }

    /** The connections now in a session, in the order they joined. */
    List<Peer> connections(String sessionId) {
        Room room = rooms.get(sessionId);
        return room == null ? List.of() : List.of(room.members());
    }

    /** The connections in a session on every node of the cluster, or on this one alone. */
    List<ConnectionInfo> connectionInfos(String sessionId) {
        if (cluster != null) return cluster.connections(sessionId);
        List<ConnectionInfo> infos = new ArrayList<>();
        for (Peer peer : connections(sessionId)) infos.add(peer.info());
        return infos;
    }

    /**
     * Force-disconnects a connection on another node of the cluster.
     *
     * @return false when no node has it, or the server is a single node
     */
    boolean forceDisconnectElsewhere(String sessionId, String connectionId) {
        return cluster != null && cluster.forceDisconnectElsewhere(sessionId, connectionId);
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
