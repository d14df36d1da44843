package io.signalbox.server;

/**
 * Where a connection's frames go: one WebSocket. Sends are asynchronous and never block the caller; an
 * outlet that cannot keep up closes itself as too slow rather than hold up whoever is sending.
 */
interface Outlet {
    /** Queues one text frame. Returns false when the outlet is closed or has just closed as too slow. */
    boolean send(String frame);

    /** Closes the socket with a WebSocket close code and a reason a person can read. */
    void close(int code, String reason);

    /** Whether the socket is still open for frames. */
    boolean isOpen();

    /** The remote address, for logs. */
    String remote();
}
