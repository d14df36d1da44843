package io.signalbox.app.chat;

/** Where this participant's link to the session stands. */
public enum LinkState {
    /** Joining the session. */
    CONNECTING,
    /** In the session, the link up. */
    CONNECTED,
    /** The link was lost; the SDK is trying to restore it, and queues what is sent meanwhile. */
    RECONNECTING,
    /** Out of the session for good, or the join failed. */
    DISCONNECTED
}
