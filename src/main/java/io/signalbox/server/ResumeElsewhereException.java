package io.signalbox.server;

/**
 * A client resumed, on this node, a connection that another live node of the cluster still has: it
 * should try again, and reach that node. Not final for the client: its reconnection goes on.
 */
final class ResumeElsewhereException extends RuntimeException {
    ResumeElsewhereException(String connectionId, String node) {
        super("connection " + connectionId + " is kept by another node of the cluster (" + node
                + "), which is alive; resume there", null, false, false);
    }
}
