package io.signalbox.protocol;

/**
 * WebSocket close codes. A close in the 4000 range is final: the client must not reconnect. Any
 * other close (a server going away included) is a loss of the link, and the client resumes.
 */
public final class CloseCodes {
    /** The client said {@code leave}, or the server acknowledges a clean end. */
    public static final int NORMAL = 1000;
    /** The server is shutting down; clients resume, elsewhere or when it is back. */
    public static final int GOING_AWAY = 1001;
    /** A binary frame: the protocol is text only. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** A frame over {@link Limits#MAX_FRAME_BYTES}. */
    public static final int MESSAGE_TOO_BIG = 1009;

    /** Removed by the REST API's force disconnect. */
    public static final int FORCE_DISCONNECTED = 4001;
    /** The session was ended by its host. */
    public static final int SESSION_ENDED = 4002;
    /** The connection's outgoing queue overflowed: it did not read fast enough. */
    public static final int TOO_SLOW = 4003;
    /** The connection kept sending over its rate limits after being told to wait. */
    public static final int FLOODING = 4004;
    /** The token or session id was refused. */
    public static final int AUTHENTICATION_FAILED = 4010;
    /** No {@code connect} or {@code resume} came within the authentication timeout. */
    public static final int AUTHENTICATION_TIMEOUT = 4011;
    /** The client and server share no protocol version. */
    public static final int UNSUPPORTED_PROTOCOL = 4012;
    /** A {@code resume} the server cannot honour. */
    public static final int RESUME_REFUSED = 4013;
    /** The session already has the most connections the server allows. */
    public static final int SESSION_FULL = 4014;

    private CloseCodes() {}

    /** Whether a close with this code ends the connection for good (no reconnection). */
    public static boolean isFinal(int code) {
        return code >= 4000 && code < 5000;
    }
}
