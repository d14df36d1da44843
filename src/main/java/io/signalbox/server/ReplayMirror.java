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
     * {@code frame} is null when the server keeps no replay buffer: only the count moved.
     */
    void appended(String connectionId, String frame, long signalsSent, int dropped);

    /** {@code dropped} frames were dropped from the head of the buffer: the client has them. */
    void trimmed(String connectionId, int dropped);

    /** The buffer of a connection taken over, as the node that had it left it, oldest first. */
    record Kept(long signalsSent, List<String> frames) {}
}
