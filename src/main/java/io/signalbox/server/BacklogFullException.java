package io.signalbox.server;

/**
 * A signal for members on other nodes was refused as a whole: Redis is away and the backlog of signals
 * waiting for it is full. No one received any of it.
 */
final class BacklogFullException extends RuntimeException {
    BacklogFullException(String sessionId) {
        super("the other nodes of the cluster cannot be reached (Redis is away) and the most signals allowed"
                + " already wait for them; this signal to session " + sessionId + " was delivered to no one");
    }
}
