package io.signalbox.server;

/**
 * A client resumed, on this node, a connection it cannot have here now: another live node of the
 * cluster still has it, or this node is still taking it over. It should try again, and reach the node
 * that has it. Not final for the client: its reconnection goes on.
 */
final class ResumeElsewhereException extends RuntimeException {
    private final String closeReason;

    private ResumeElsewhereException(String message, String closeReason) {
        super(message, null, false, false);
        this.closeReason = closeReason;
    }

    /** Another live node has the connection. */
    static ResumeElsewhereException keptBy(String connectionId, String node) {
        return new ResumeElsewhereException("connection " + connectionId + " is kept by another node of the cluster ("
                + node + "), which is alive; resume there", "kept by another node; resume there");
    }

    /** This node is taking the connection over from a dead node and has not finished yet. */
    static ResumeElsewhereException takingOver(String connectionId) {
        return new ResumeElsewhereException("connection " + connectionId + " is being taken over by this node; try again",
                "being taken over here; try again");
    }

    /** The words for the socket's close frame (short enough for one). */
    String closeReason() {
        return closeReason;
    }
}
