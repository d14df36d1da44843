package io.signalbox.server;

import io.signalbox.protocol.CloseCodes;
import io.signalbox.protocol.Codec;
import io.signalbox.protocol.ConnectionInfo;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.server.redis.Backplane;
import io.signalbox.server.redis.BackplaneUnavailableException;
import io.signalbox.server.redis.ClusterEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session registry's side of a cluster: what it tells the other nodes through the backplane, and
 * what it does with what they tell it. Each room keeps a copy of its members on other nodes, filled
 * when the room gets its first member here and kept current by their joins and leaves.
 *
 * <p>A signal reaches the members on this node directly and the others through the session's channel;
 * for a signal to everyone the channel is asked first, so that a signal the backlog refuses reaches no
 * one. The sender's node publishes its signals in the order it routes them, through one connection, so
 * every receiver gets one sender's signals in order.
 */
final class ClusterRouting implements Backplane.Listener, ReplayMirror {
    private static final Logger log = LoggerFactory.getLogger(ClusterRouting.class);
    /** How long this node's members wait for a signal's write to Redis before they are given it all the same. */
    private static final java.time.Duration LOCAL_WAIT = java.time.Duration.ofSeconds(1);
    /** How long a resume waits for the live node that has its connection to release it. */
    private static final java.time.Duration HANDOVER_WAIT = java.time.Duration.ofMillis(150);
    /** A node that said it was alive longer ago than this (it says so every second) is not waited for. */
    private static final long LIVELY_MS = 1_500;

    private final SessionRegistry registry;
    private final ConcurrentHashMap<String, Room> rooms;
    private final Backplane backplane;
    private final Clock clock;

    ClusterRouting(SessionRegistry registry, ConcurrentHashMap<String, Room> rooms, Backplane backplane, Clock clock) {
        this.registry = registry;
        this.rooms = rooms;
        this.backplane = backplane;
        this.clock = clock;
    }

    Backplane backplane() {
        return backplane;
    }

    // ---- what this node tells the others --------------------------------------------------------------

    /**
     * Called with the room's lock held, before its first member here joins: starts hearing its channel,
     * then learns who is on the other nodes. Events that come in between wait for the lock, so none is
     * missed and none is applied before the list they follow.
     */
    void open(Room room) {
        backplane.subscribe(room.sessionId);
        try {
            for (Backplane.Member member : backplane.connections(room.sessionId).values()) {
                if (!member.node().equals(backplane.nodeId())) room.addRemote(member.connection());
            }
        } catch (BackplaneUnavailableException e) {
            log.warn("session {} opens without its members on other nodes: {}", room.sessionId, e.getMessage());
        }
    }

    /** Called with the room's lock held, once a member here has joined. */
    void joined(Room room, Peer peer) {
        backplane.register(room.sessionId, peer.info());
        backplane.keepResumable(room.sessionId, resumable(peer), null);
        backplane.publish(room.sessionId, new ClusterEvent.Joined(peer.info()));
    }

    /**
     * Called with the room's lock held, once a connection of a dead node has been taken over here: the
     * other nodes knew it and still do (the registry says which node has it), so nobody is told.
     * {@code cursor} is where its catch-up left it in the session's signals.
     */
    void adopted(Room room, Peer peer, String cursor) {
        backplane.register(room.sessionId, peer.info());
        backplane.keepResumable(room.sessionId, resumable(peer), cursor);
    }

    /**
     * Called on the events thread, with the room's lock held, before a connection taken over becomes
     * a member here: writes to it the signals routed to it since its dead node last wrote one from the
     * session's stream (those after its cursor, to it or to everyone), and returns the position they
     * run to. Those its old node published are in too: that node may have died between publishing a
     * signal and writing it to its own members; one that did reach the client is dropped by its ref.
     *
     * <p>Until the peer is a member, this node routes its signals through the stream too, under the
     * same lock; every event handled on this thread before now is in what is read here, and one heard
     * after it is dropped by its position when read here already.
     */
    String catchUp(Room room, Peer peer, Backplane.Adoption.Adopted adopted) {
        String cursor = adopted.cursor();
        if (cursor == null) {
            log.warn("{} taken over without a cursor: signals routed to it after its node died are not known", peer);
            return null;
        }
        Backplane.SignalHistory history;
        try {
            history = backplane.signalsAfter(room.sessionId, cursor);
        } catch (BackplaneUnavailableException e) {
            log.warn("{} taken over without the signals routed to it after its node died: {}", peer, e.getMessage());
            peer.missedAtTakeover(1);
            return cursor;
        }
        // Some may have reached the client already: written by the dead node just before it died, and
        // not copied yet. Its client drops those by their ref; none is left out here on a guess.
        int caught = 0;
        for (Backplane.PastSignal past : history.signals()) {
            ClusterEvent.Signal signal = past.signal();
            if (signal.to() != null && !signal.to().equals(peer.id)) continue;
            peer.sendClusterSignal(frame(signal), past.position(), true);
            caught++;
        }
        // How many the bound dropped, and for whom, is not known: at least one may be missing.
        if (history.trimmed()) peer.missedAtTakeover(1);
        peer.caughtUpTo(history.last());
        if (caught > 0) log.info("{} is owed {} signals routed to it after its node died", peer, caught);
        return history.last();
    }

    private static String frame(ClusterEvent.Signal signal) {
        return Codec.encode(new ServerMessage.Signal(signal.type(), signal.data(), signal.from(),
                signal.to() != null, signal.time(), signal.ref()));
    }

    private static Backplane.Resumable resumable(Peer peer) {
        return new Backplane.Resumable(peer.info(), peer.role.wireName(), tokenHash(peer.resumeToken), peer.lastSeq());
    }

    /**
     * Asks the cluster for a connection this node does not have, for a client resuming here.
     *
     * @throws BackplaneUnavailableException when Redis does not answer
     */
    Backplane.Adoption claim(String sessionId, String connectionId, String resumeToken) {
        return backplane.adopt(sessionId, connectionId, tokenHash(resumeToken));
    }

    @Override
    public void appended(String connectionId, String frame, long signalsSent, int dropped, String position) {
        backplane.replayAppended(connectionId, frame, signalsSent, dropped, position);
    }

    @Override
    public void rewritten(String connectionId, List<String> frames, long signalsSent) {
        backplane.replayRewritten(connectionId, frames, signalsSent);
    }

    @Override
    public void trimmed(String connectionId, int dropped) {
        backplane.replayTrimmed(connectionId, dropped);
    }

    /**
     * A signal of this client's has been handled (routed or refused): a node taking it over drops it.
     * The client's answer goes once Redis has the seq, and so everything published for the signal
     * before it: an acknowledged signal is never one that a node's death kept from the other nodes.
     */
    void handled(Peer peer, long seq, String answer) {
        backplane.handled(peer.id, seq).whenComplete((ignored, failure) -> peer.send(answer));
    }

    /** Completes when Redis has everything this node published so far. */
    java.util.concurrent.CompletionStage<?> written() {
        return backplane.written();
    }

    /** The SHA-256 of a resume token, in hex: what Redis keeps, so that reading Redis resumes nothing. */
    static String tokenHash(String resumeToken) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(resumeToken.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Called with the room's lock held, once a member here has left; the last one closes the channel. */
    void left(Room room, Peer peer, Reason reason) {
        backplane.unregister(room.sessionId, peer.id);
        backplane.forget(peer.id);
        backplane.publish(room.sessionId, new ClusterEvent.Left(peer.id, reason));
        if (room.isClosed()) backplane.unsubscribe(room.sessionId);
    }

    /**
     * Routes a signal to its receivers on every node. Under the room's lock, from deciding whether a
     * receiver is here or elsewhere to publishing it: a connection changes nodes (taken over here, or
     * released to another node) under the same lock, so each signal to it is either in the session's
     * stream or written to it here.
     *
     * <p>Every signal goes to the session's stream, one for this node's members only too (see
     * {@link #record}), and this node writes it to its own members only once Redis has it, and has what
     * this node published in the room before it (see {@link #whenWritten}): killed before that, the
     * node has delivered it to no one, and its sender, never acknowledged, sends it again.
     *
     * @return false when the receiver (or, for everyone, anyone) is in the session on no node
     * @throws BacklogFullException when members on other nodes would receive it but Redis is away and
     *         the backlog is full; no one received it
     * @throws BackplaneUnavailableException when this node has no member of the session and cannot ask
     *         Redis who has
     */
    boolean route(String sessionId, Peer from, long seq, String to, String type, String data) {
        Room room = rooms.get(sessionId);
        long now = clock.millis();
        String fromId = from == null ? null : from.id;
        // Tells this signal from its sender's others, should a receiver be given it twice (see ref).
        long ref = from == null ? java.util.concurrent.ThreadLocalRandom.current().nextLong() : seq;
        if (room == null) {
            Map<String, Backplane.Member> everywhere = backplane.connections(sessionId);
            if (to == null ? everywhere.isEmpty() : !everywhere.containsKey(to)) return false;
            publish(sessionId, new ClusterEvent.Signal(type, data, fromId, to, now, ref));
            return true;
        }
        synchronized (room) {
            if (to == null) {
                Peer[] members = room.members();
                boolean elsewhere = room.hasRemotes();
                if (members.length == 0 && !elsewhere) return false;
                ClusterEvent.Signal event = new ClusterEvent.Signal(type, data, fromId, null, now, ref);
                CompletionStage<?> published = elsewhere ? publish(sessionId, event) : record(sessionId, event);
                if (members.length > 0) {
                    String frame = Codec.encode(new ServerMessage.Signal(type, data, fromId, false, now, ref));
                    whenWritten(room, published, () -> {
                        for (Peer member : members) member.sendSignal(frame);
                    });
                }
                return true;
            }
            Peer receiver = room.find(to);
            if (receiver != null) {
                String frame = Codec.encode(new ServerMessage.Signal(type, data, fromId, true, now, ref));
                CompletionStage<?> recorded = record(sessionId, new ClusterEvent.Signal(type, data, fromId, to, now, ref));
                whenWritten(room, recorded, () -> receiver.sendSignal(frame));
                return true;
            }
            if (!room.hasRemote(to)) return false;
            publish(sessionId, new ClusterEvent.Signal(type, data, fromId, to, now, ref));
            return true;
        }
    }

    /**
     * Called with the room's lock held, for a signal to members of this node only: kept in the
     * session's stream all the same, with its sender's {@code lastSeq} in the same step, and written
     * here once Redis has it. Then the seq Redis keeps for the sender never runs ahead of what a
     * takeover can find: written here first, a node killed before its receivers' replay mirrors had the
     * signal would leave one that no takeover has and that the sender's resend is dropped for; and a
     * client given the signal before Redis had the seq would be told, resuming elsewhere, that a send
     * it asked not to retry never arrived. Null when Redis cannot take it now (the backlog is full):
     * then it is written here only, as on a single node.
     */
    private CompletionStage<?> record(String sessionId, ClusterEvent.Signal signal) {
        return backplane.publishSignal(sessionId, signal);
    }

    private CompletionStage<?> publish(String sessionId, ClusterEvent.Signal signal) {
        CompletionStage<?> published = backplane.publishSignal(sessionId, signal);
        if (published == null) throw new BacklogFullException(sessionId);
        return published;
    }

    /**
     * Called with the room's lock held: writes to this node's members once Redis has {@code published}
     * (null for a signal Redis could not take: the backlog is full) and every earlier write of the room
     * has been made, so that each sender's signals keep their order. Commands on one Redis connection are
     * answered in order, so the wait is usually nothing more than the signal's own round trip. While
     * Redis is away, what was published just before the drop is waited for at most {@link #LOCAL_WAIT}:
     * this node's clients are served without Redis, and Lettuce sends what it holds when Redis is back.
     */
    private static void whenWritten(Room room, CompletionStage<?> published, Runnable write) {
        CompletableFuture<?> before = room.written();
        // The bound is on this signal's own wait for Redis; the one before is always waited for, so
        // that writes stay in order.
        CompletableFuture<?> ready = published == null ? before : CompletableFuture.allOf(before,
                published.toCompletableFuture().copy().completeOnTimeout(null, LOCAL_WAIT.toMillis(), TimeUnit.MILLISECONDS));
        if (ready.isDone()) {
            write.run();
            return;
        }
        room.written(ready.handle((ignored, failure) -> {
            write.run();
            return null;
        }));
    }

    /** The session's connections on every node, from the shared registry. */
    List<ConnectionInfo> connections(String sessionId) {
        List<ConnectionInfo> all = new ArrayList<>();
        for (Backplane.Member member : backplane.connections(sessionId).values()) all.add(member.connection());
        all.sort(Comparator.comparingLong(ConnectionInfo::createdAt));
        return all;
    }

    /**
     * Asks the node that has the connection to force-disconnect it.
     *
     * @return false when no node has it
     */
    boolean forceDisconnectElsewhere(String sessionId, String connectionId) {
        switch (backplane.kick(sessionId, connectionId)) {
            case UNKNOWN -> {
                return false;
            }
            case OWNER_ALIVE -> backplane.publish(sessionId, new ClusterEvent.Kick(connectionId));
            case REMOVED -> {
                // Its node is dead (or gave it up) and no node has taken it over: it is gone now, and
                // a takeover after this is refused. Everyone hears it leave, as from its node.
                Room room = rooms.get(sessionId);
                if (room != null) remoteLeft(room, connectionId, Reason.FORCE_DISCONNECTED);
                backplane.publish(sessionId, new ClusterEvent.Left(connectionId, Reason.FORCE_DISCONNECTED));
            }
        }
        return true;
    }

    // ---- what the others tell this node ---------------------------------------------------------------

    @Override
    public void onEvent(String sessionId, ClusterEvent event, String position) {
        Room room = rooms.get(sessionId);
        if (room == null) return;
        switch (event) {
            case ClusterEvent.Signal signal -> deliver(room, signal, position);
            case ClusterEvent.Joined joined -> remoteJoined(room, joined.connection());
            case ClusterEvent.Left left -> remoteLeft(room, left.connectionId(), left.reason());
            case ClusterEvent.Kick kick -> kick(room, kick.connectionId());
            case ClusterEvent.Release release -> release(room, release.connectionId());
        }
    }

    /**
     * Its client resumed on another node: the connection stops being a member here, silently (to
     * everyone it is still in the session), and that node may take it over. Its last writes were
     * issued before the release; signals routed here to it from now on go through the stream.
     */
    private void release(Room room, String connectionId) {
        Peer peer = room.find(connectionId);
        if (peer == null) return;
        synchronized (room) {
            // Signals this node routed to it before now are written to it first (a round trip at most).
            awaitWrites(room);
            if (!room.remove(peer)) return;
            backplane.release(room.sessionId, connectionId);
            if (room.isClosed()) {
                backplane.unsubscribe(room.sessionId);
                rooms.remove(room.sessionId, room);
            } else {
                room.addRemote(peer.info());
            }
        }
        peer.close(CloseCodes.GOING_AWAY, "resumed on another node");
        log.info("{} released: its client resumed on another node", peer);
    }

    private static void awaitWrites(Room room) {
        try {
            room.written().get(LOCAL_WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            log.debug("writes of session {} still waiting: {}", room.sessionId, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks the node that has a connection, and looks alive, to release it for a client that resumed
     * here, and takes it over if it does so quickly. A live node releases within a few milliseconds;
     * one that has not said it was alive for a while is probably dead, and is not waited for. Either
     * way the socket waits briefly, so that a node's death, with all its clients resuming elsewhere at
     * once, cannot hold many of this node's threads: a client not served now is told to try again, and
     * by then the connection is released (or its node found dead).
     *
     * @return the answer once released, or the last "alive" answer
     */
    Backplane.Adoption handOver(String sessionId, String connectionId, String resumeToken,
                                Backplane.Adoption.OwnerAlive owner) throws InterruptedException {
        backplane.publish(sessionId, new ClusterEvent.Release(connectionId));
        if (owner.sinceRefreshMs() > LIVELY_MS) return owner;
        long pause = 2;
        long deadline = System.nanoTime() + HANDOVER_WAIT.toNanos();
        Backplane.Adoption answer;
        do {
            Thread.sleep(pause);
            pause = Math.min(pause * 2, 40);
            answer = claim(sessionId, connectionId, resumeToken);
        } while (answer instanceof Backplane.Adoption.OwnerAlive && System.nanoTime() < deadline);
        return answer;
    }

    @Override
    public boolean settled(String sessionId) {
        Room room = rooms.get(sessionId);
        if (room == null) return true;
        synchronized (room) {
            return room.written().isDone();
        }
    }

    /**
     * Writes a signal heard from another node to its receivers here. Its position becomes their cursor
     * only while this node has no signal of its own in the session still waiting to be written here
     * ({@link #settled}): a cursor past such a signal would let a takeover after this node's death
     * start after it, and the receiver never have it.
     */
    private void deliver(Room room, ClusterEvent.Signal signal, String position) {
        String frame = frame(signal);
        boolean cursor = settled(room.sessionId);
        if (signal.to() == null) {
            for (Peer member : room.members()) member.sendClusterSignal(frame, position, cursor);
            return;
        }
        Peer receiver = room.find(signal.to());
        if (receiver != null) receiver.sendClusterSignal(frame, position, cursor);
    }

    private void remoteJoined(Room room, ConnectionInfo connection) {
        synchronized (room) {
            if (room.isClosed() || room.find(connection.id()) != null || !room.addRemote(connection)) return;
            String joined = Codec.encode(new ServerMessage.Joined(connection));
            for (Peer member : room.members()) member.send(joined);
        }
    }

    private void remoteLeft(Room room, String connectionId, Reason reason) {
        synchronized (room) {
            if (room.isClosed() || !room.removeRemote(connectionId)) return;
            room.recordDeparture(connectionId, reason, clock.millis());
            String left = Codec.encode(new ServerMessage.Left(connectionId, reason));
            for (Peer member : room.members()) member.send(left);
        }
    }

    private void kick(Room room, String connectionId) {
        Peer peer = room.find(connectionId);
        if (peer == null || !registry.leave(peer, Reason.FORCE_DISCONNECTED)) return;
        peer.close(CloseCodes.FORCE_DISCONNECTED, "force disconnected by the server");
        log.info("REST on another node: force disconnected {} from session {}", connectionId, room.sessionId);
    }

    @Override
    public void onConnectionsLost(String sessionId, List<String> connectionIds) {
        Room room = rooms.get(sessionId);
        for (String id : connectionIds) {
            if (room != null) remoteLeft(room, id, Reason.NETWORK_DISCONNECTED);
            backplane.publish(sessionId, new ClusterEvent.Left(id, Reason.NETWORK_DISCONNECTED));
        }
    }

    @Override
    public Map<String, List<ConnectionInfo>> localConnections() {
        Map<String, List<ConnectionInfo>> local = new LinkedHashMap<>();
        for (Room room : rooms.values()) {
            List<ConnectionInfo> infos = new ArrayList<>();
            for (Peer peer : room.members()) infos.add(peer.info());
            if (!infos.isEmpty()) local.put(room.sessionId, infos);
        }
        return local;
    }

    @Override
    public void onRejoined() {
        for (Room room : rooms.values()) {
            for (Peer peer : room.members()) {
                backplane.keepResumable(room.sessionId, resumable(peer), null);
                peer.rewriteMirror();
            }
        }
    }

    /**
     * After an outage, the events the other nodes kept have come in; what is still missing from the
     * copies of their members (a node that died meanwhile, an event lost with Redis) is set right here.
     */
    @Override
    public void onRecovered() {
        for (Room room : rooms.values()) {
            Map<String, Backplane.Member> shared = backplane.connections(room.sessionId);
            for (Backplane.Member member : shared.values()) {
                if (!member.node().equals(backplane.nodeId())) remoteJoined(room, member.connection());
            }
            for (ConnectionInfo known : room.remotes()) {
                if (!shared.containsKey(known.id())) remoteLeft(room, known.id(), Reason.NETWORK_DISCONNECTED);
            }
        }
    }
}
