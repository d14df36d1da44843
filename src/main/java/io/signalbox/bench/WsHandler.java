package io.signalbox.bench;

import java.nio.ByteBuffer;

/** What a workload does with a {@link WsConn}'s events; called on the connection's loop thread. */
interface WsHandler {
    /** The WebSocket handshake completed: the connection may send. */
    void onOpen(WsConn conn);

    /**
     * A text message arrived; its UTF-8 bytes are {@code buf[from, to)}. The buffer is the loop's and
     * is reused at once: copy what must be kept.
     */
    void onText(WsConn conn, ByteBuffer buf, int from, int to);

    /** The connection ended (closed by the server, failed, or never opened), once. */
    void onClosed(WsConn conn, String why);
}
