package io.signalbox.client;

/**
 * Why a connection left a session: this client's own, in
 * {@link SessionListener#onDisconnected}, or another's, in
 * {@link SessionListener#onConnectionDestroyed}.
 *
 * <p>For this client's own disconnection the server's or the network's words, when there are any,
 * are in {@link Session#getDisconnectMessage()}.
 */
public enum DisconnectReason {
    /** The client left on purpose ({@link Session#disconnect()}). */
    CLIENT_DISCONNECTED,
    /** The connection was removed from the session (a moderator's force disconnect). */
    FORCE_DISCONNECTED,
    /** The link was lost and could not be restored. */
    NETWORK_DISCONNECTED,
    /**
     * The server ended the connection for good for a reason of its own: the session was ended by its
     * host, or the client read too slowly or sent too much.
     */
    SERVER_CLOSED
}
