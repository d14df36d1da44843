package io.signalbox.server;

import java.util.List;

/**
 * Where a peer copies its replay buffer as it changes, so that the node taking the connection over
 * after this node dies can replay what its client missed. Only in a cluster; a single node has none.
 * Called under the peer's output lock, so the copy sees the buffer's changes in their order.
 */
interface ReplayMirror {
    /**
     * A signal frame was added at the end of the buffer, the {@code signalsSent}-th written to the
     * connection, and then {@code dropped} frames were dropped from its head to keep it in bounds.
     * {@code frame} is null when the server keeps no replay buffer: only the count moved. {@code
     * position} is the signal's position in the session's signals when it came from another node
     * (null otherwise): the connection has had what concerns it up to there.
     */
    void appended(String connectionId, String frame, long signalsSent, int dropped, String position);

    /** The whole buffer, copied again after an outage that may have lost the copy. */
    void rewritten(String connectionId, List<String> frames, long signalsSent);

    /** {@code dropped} frames were dropped from the head of the buffer: the client has them. */
    void trimmed(String connectionId, int dropped);

    /** The buffer of a connection taken over, as the node that had it left it, oldest first. */
    record Kept(long signalsSent, List<String> frames) {}
}
