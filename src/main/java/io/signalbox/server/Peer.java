package io.signalbox.server;

import io.signalbox.protocol.ConnectionInfo;
import io.signalbox.server.auth.Role;

/**
 * One connection in a session, as the server keeps it. It outlives a socket: when its client's link
 * drops, the peer waits for the client to resume on a new one.
 */
final class Peer {
    final String id;
    final long createdAt;
    final String data;
    final Role role;
    final Room room;
    /** The secret a client shows to resume this connection on a new socket. */
    final String resumeToken;
    private final ConnectionInfo info;

    private final Object outLock = new Object();
    /** The live socket, or null while the client is away; guarded by outLock. */
    private Outlet outlet;
    /** Signals written to this connection so far, in the order written; guarded by outLock. */
    private long signalsSent;
    /**
     * The highest sequence number handled of this client's signals. Written only by the thread reading
     * this connection's socket (Jetty reads one socket's frames one at a time); volatile for resumes.
     */
    private volatile long lastSeq;

    Peer(String id, long createdAt, String data, Role role, Room room, String resumeToken, Outlet outlet) {
        this.id = id;
        this.createdAt = createdAt;
        this.data = data;
        this.role = role;
        this.room = room;
        this.resumeToken = resumeToken;
        this.outlet = outlet;
        this.info = new ConnectionInfo(id, createdAt, data);
    }

    ConnectionInfo info() {
        return info;
    }

    /** Sends a signal frame; signals are counted so that a resuming client can say what it has. */
    void sendSignal(String frame) {
        synchronized (outLock) {
            signalsSent++;
            if (outlet != null) outlet.send(frame);
        }
    }

    /** Sends any frame that is not a signal (connection events, acks, errors). */
    void send(String frame) {
        synchronized (outLock) {
            if (outlet != null) outlet.send(frame);
        }
    }

    /** Closes the socket, if any, with a final code; the peer keeps no link after it. */
    void close(int code, String reason) {
        Outlet current;
        synchronized (outLock) {
            current = outlet;
            outlet = null;
        }
        if (current != null) current.close(code, reason);
    }

    /** Whether {@code candidate} is the socket this peer now uses. */
    boolean isLinkedTo(Outlet candidate) {
        synchronized (outLock) {
            return outlet == candidate;
        }
    }

    long signalsSent() {
        synchronized (outLock) {
            return signalsSent;
        }
    }

    long lastSeq() {
        return lastSeq;
    }

    void lastSeq(long seq) {
        lastSeq = seq;
    }

    @Override
    public String toString() {
        return "connection " + id;
    }
}
