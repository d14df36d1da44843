package io.signalbox.server;

import io.signalbox.protocol.ConnectionInfo;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.server.auth.Role;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * One connection in a session, as the server keeps it. It outlives a socket: when its client's link
 * drops, the peer stays in the session for the reconnection window, keeps the signals addressed to it,
 * and waits for the client to resume on a new socket.
 *
 * <p>Signals are numbered per peer in the order they are written (1, 2, 3 ...); the client counts
 * those it receives, so on resume it says how far it got and the server replays the rest from a
 * bounded buffer of recent signals. Heartbeats carry the same count, so the buffer holds only what the
 * client may not have yet.
 */
final class Peer {
    /** Refusals remembered for a client whose answer may have been lost in a drop. */
    private static final int RECENT_NACKS = 64;

    final String id;
    final long createdAt;
    final String data;
    final Role role;
    final Room room;
    /** The secret a client shows to resume this connection on a new socket. */
    final String resumeToken;
    private final ConnectionInfo info;
    private final int replayMaxSignals;
    private final long replayMaxChars;
    /** This connection's rate limits, or null when the server sets none. */
    final SignalGate gate;
    /** Where the replay buffer is copied for another node, in a cluster; null on a single node. */
    private final ReplayMirror mirror;

    private final Object outLock = new Object();
    /** The live socket, or null while the client is away; guarded by outLock. */
    private Outlet outlet;
    /** Signals written to this connection so far, sent or kept while away; guarded by outLock. */
    private long signalsSent;
    /** Recent signal frames, the newest last; the first is number {@code signalsSent - size + 1}; guarded by outLock. */
    private final ReplayLog replay = new ReplayLog();
    /** Ends the connection when the window runs out while away; guarded by outLock, null while linked. */
    private ScheduledFuture<?> expiry;
    /** Set once the peer has left the session for good; guarded by outLock. */
    private boolean gone;
    /**
     * Signals routed here after the peer joined its room but before its welcome went out, to follow
     * the welcome; null once welcomed. Guarded by outLock.
     */
    private List<String> early = new ArrayList<>();

    /**
     * The highest sequence number handled of this client's signals. Written only by the thread reading
     * the peer's current socket (Jetty reads one socket's frames one at a time, and a resume happens
     * before the new socket's next frame); volatile since sockets change threads.
     */
    private volatile long lastSeq;
    /**
     * For a connection taken over: the position in the session's signals up to which its catch-up
     * wrote them, until a later one is heard; null otherwise. Only the thread handling events heard.
     */
    private String caughtUpTo;
    /** Signals owed at a takeover that were not kept anywhere; guarded by outLock. */
    private int missedAtTakeover;
    /** The latest refusals, oldest first; changed by the reading thread, read at resume; guarded by itself. */
    private final ArrayDeque<ServerMessage.Nack> recentNacks = new ArrayDeque<>();

    Peer(String id, long createdAt, String data, Role role, Room room, String resumeToken, Outlet outlet,
         int replayMaxSignals, long replayMaxBytes, SignalGate gate, ReplayMirror mirror) {
        this.id = id;
        this.createdAt = createdAt;
        this.data = data;
        this.role = role;
        this.room = room;
        this.resumeToken = resumeToken;
        this.outlet = outlet;
        this.info = new ConnectionInfo(id, createdAt, data);
        this.replayMaxSignals = replayMaxSignals;
        this.replayMaxChars = replayMaxBytes;
        this.gate = gate;
        this.mirror = mirror;
    }

    /**
     * Makes this new peer the continuation of a connection taken over from a dead node, before it is
     * resumed: no welcome (the client had it on the other node), signals numbered on from what the
     * client says it received, and the client's seqs handled up to {@code lastSeq} dropped as duplicates.
     */
    void adopted(long received, long lastSeq, ReplayMirror.Kept kept) {
        synchronized (outLock) {
            early = null;
            // The dead node's count, unless its last writes were lost with it and the client got further.
            signalsSent = Math.max(kept.signalsSent(), received);
            int dropped = 0;
            long first = kept.signalsSent() - kept.frames().size() + 1;
            long index = first;
            for (String frame : kept.frames()) {
                if (replayMaxSignals > 0 && index > signalsSent - replayMaxSignals && index > received
                        && kept.signalsSent() == signalsSent) {
                    replay.add(frame);
                } else {
                    dropped++;
                }
                index++;
            }
            while (replay.chars() > replayMaxChars) {
                replay.dropFirst();
                dropped++;
            }
            // The copy in Redis stays the buffer's twin, head for head.
            if (dropped > 0 && mirror != null) mirror.trimmed(id, dropped);
        }
        this.lastSeq = lastSeq;
    }

    /** The limits to tell the client in its welcome or resume, or null when the server sets none. */
    ServerMessage.Rates rates(boolean resuming) {
        return gate == null ? null : gate.rates(resuming);
    }

    ConnectionInfo info() {
        return info;
    }

    /** Sends a signal frame, or keeps it for the client's return while it is away. */
    void sendSignal(String frame) {
        write(frame, null);
    }

    /**
     * Sends a signal heard from another node at {@code position} in the session's signals; one that a
     * takeover's catch-up has written already is dropped. {@code cursor}: whether the position becomes
     * the connection's cursor (see {@code ClusterRouting#deliver}). Only on the thread that handles the
     * events heard, in their order.
     */
    void sendClusterSignal(String frame, String position, boolean cursor) {
        if (caughtUpTo != null) {
            if (io.signalbox.server.redis.Backplane.comparePositions(position, caughtUpTo) <= 0) return;
            caughtUpTo = null;
        }
        write(frame, cursor ? position : null);
    }

    /**
     * A connection taken over has had the session's signals up to {@code position} from the stream:
     * those heard again on the channel are dropped. Only on the thread that handles the events heard.
     */
    void caughtUpTo(String position) {
        caughtUpTo = position;
    }

    /**
     * Signals owed to a connection taken over that no node could keep (the session's stream dropped
     * them): reported as missed when it resumes.
     */
    void missedAtTakeover(int count) {
        synchronized (outLock) {
            missedAtTakeover = count;
        }
    }

    /** Copies the whole replay buffer to the mirror again, after an outage that may have lost it. */
    void rewriteMirror() {
        if (mirror == null) return;
        synchronized (outLock) {
            if (!gone) mirror.rewritten(id, replay.frames(0), signalsSent);
        }
    }

    private void write(String frame, String position) {
        synchronized (outLock) {
            if (gone) return;
            signalsSent++;
            if (replayMaxSignals > 0) {
                replay.add(frame);
                int dropped = 0;
                while (replay.size() > replayMaxSignals || replay.chars() > replayMaxChars) {
                    replay.dropFirst();
                    dropped++;
                }
                if (mirror != null) mirror.appended(id, frame, signalsSent, dropped, position);
            } else if (mirror != null) {
                mirror.appended(id, null, signalsSent, 0, position);
            }
            if (outlet == null) return;
            if (early != null) {
                early.add(frame);
            } else {
                outlet.send(frame);
            }
        }
    }

    /**
     * Sends the welcome, then the signals routed here since the peer joined the room. A peer is a
     * member before its welcome goes out, so that a client that has its welcome can be reached at once;
     * and it hears of no signal before its welcome.
     */
    void welcome(String frame) {
        synchronized (outLock) {
            if (outlet == null || early == null) return;
            outlet.send(frame);
            for (String signal : early) outlet.send(signal);
            early = null;
        }
    }

    /** Sends any frame that is not a signal (connection events, acks, errors); dropped while away. */
    void send(String frame) {
        synchronized (outLock) {
            if (outlet != null) outlet.send(frame);
        }
    }

    /** The client has received {@code received} signals: older ones need not be kept for a replay. */
    void received(long received) {
        synchronized (outLock) {
            long first = signalsSent - replay.size() + 1;
            int dropped = 0;
            while (!replay.isEmpty() && first <= received) {
                replay.dropFirst();
                first++;
                dropped++;
            }
            if (dropped > 0 && mirror != null) mirror.trimmed(id, dropped);
        }
    }

    /**
     * The socket dropped: keep the peer for the window. Returns false when {@code from} is no longer
     * the peer's socket (it resumed elsewhere, or left), so there is nothing to do.
     */
    boolean detach(Outlet from, java.util.function.Function<Peer, ScheduledFuture<?>> scheduleExpiry) {
        synchronized (outLock) {
            if (gone || outlet != from) return false;
            outlet = null;
            expiry = scheduleExpiry.apply(this);
            return true;
        }
    }

    /** Whether the peer is away, waiting for its client to resume. */
    boolean isAway() {
        synchronized (outLock) {
            return outlet == null && !gone;
        }
    }

    /**
     * Takes the client back on a new socket: sends {@code resumed} and replays what the client has not
     * received, before any newer frame can be written. Called with the room's lock held, so that the
     * connection list in {@code resumed} is the one the replay continues from.
     *
     * @return the socket this replaced while it still looked alive (to be closed), or null
     */
    Outlet resume(Outlet to, long received, List<ConnectionInfo> others, List<ServerMessage.Departure> departed,
                  java.util.function.Function<ServerMessage, String> encode) {
        synchronized (outLock) {
            Outlet previous = outlet;
            if (expiry != null) {
                expiry.cancel(false);
                expiry = null;
            }
            outlet = to;
            long first = signalsSent - replay.size() + 1;
            long wanted = Math.max(0, signalsSent - received);
            List<String> frames = replay.frames(Math.max(0, received - first + 1));
            int missed = (int) Math.max(0, wanted - frames.size()) + missedAtTakeover;
            missedAtTakeover = 0;
            List<ServerMessage.Nack> nacks;
            synchronized (recentNacks) {
                nacks = List.copyOf(recentNacks);
            }
            to.send(encode.apply(new ServerMessage.Resumed(lastSeq, frames.size(), missed, others, departed, nacks,
                    rates(true))));
            for (String frame : frames) to.send(frame);
            return previous;
        }
    }

    /** Marks the peer gone and closes its socket, if any, with a final code. */
    void close(int code, String reason) {
        Outlet current;
        synchronized (outLock) {
            gone = true;
            current = outlet;
            outlet = null;
            if (expiry != null) {
                expiry.cancel(false);
                expiry = null;
            }
            replay.clear();
        }
        if (current != null) current.close(code, reason);
    }

    /** Whether {@code candidate} is the socket this peer now uses. */
    boolean isLinkedTo(Outlet candidate) {
        synchronized (outLock) {
            return outlet == candidate;
        }
    }

    long lastSeq() {
        return lastSeq;
    }

    void lastSeq(long seq) {
        lastSeq = seq;
    }

    /** Remembers a refusal, so that a client that resumes learns it even if the nack was lost. */
    void rememberNack(ServerMessage.Nack nack) {
        synchronized (recentNacks) {
            recentNacks.addLast(nack);
            if (recentNacks.size() > RECENT_NACKS) recentNacks.removeFirst();
        }
    }

    /** How many signal frames are kept for a replay; for tests and health. */
    int replaySize() {
        synchronized (outLock) {
            return replay.size();
        }
    }

    @Override
    public String toString() {
        return "connection " + id;
    }
}
