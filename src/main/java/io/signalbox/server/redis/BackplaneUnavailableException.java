package io.signalbox.server.redis;

/** Redis cannot be asked now: the node is cut off from the cluster's shared state. */
public final class BackplaneUnavailableException extends RuntimeException {
    public BackplaneUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
