package io.signalbox.protocol;

/**
 * The errors the protocol carries, each with a stable number. Where OpenTok has a number for the
 * same failure, it is OpenTok's.
 */
public enum WireError {
    /** The token was refused: forged, expired, for another session or malformed. */
    AUTHENTICATION_FAILED(1004),
    /** The session id is not of the server's form or API key. */
    INVALID_SESSION_ID(1005),
    /** The client is not connected to the session. */
    NOT_CONNECTED(1010),
    /** A message was not valid JSON, not a known kind, or lacked a field. */
    MALFORMED_MESSAGE(1400),
    /** The connection's role does not allow this (a {@code publisheronly} connection sending a signal). */
    NOT_PERMITTED(1403),
    /** The addressed connection is not in this session. */
    CONNECTION_NOT_FOUND(1404),
    /** The client and server share no protocol version. */
    UNSUPPORTED_PROTOCOL(1426),
    /** A signal's data is over 8192 bytes of UTF-8. */
    SIGNAL_DATA_TOO_LONG(1413),
    /** A signal's type is over 128 characters. */
    SIGNAL_TYPE_TOO_LONG(1414),
    /** A signal's data is missing. */
    INVALID_SIGNAL_DATA(1460),
    /** A signal's type has a character outside {@code A-Z a-z 0-9 - _ ~}. */
    INVALID_SIGNAL_TYPE(1461),
    /**
     * A signal over the connection's rate (signals or bytes per second) was refused; the nack says
     * after how long to send again ({@code retryAfterMs}). The socket stays open.
     */
    RATE_LIMITED(1429),
    /** The session already has the most connections the server allows; the join is refused. */
    SESSION_FULL(1409),
    /** A resume the server cannot honour: the connection is unknown or its window ran out. */
    RESUME_REFUSED(1022),
    /** Something failed in the server itself. */
    INTERNAL_ERROR(1500);

    private final int code;

    WireError(int code) {
        this.code = code;
    }

    /** The stable number of this error. */
    public int code() {
        return code;
    }

    /** The error with the given number, or {@code null} when this build knows none. */
    public static WireError fromCode(int code) {
        for (WireError e : values()) {
            if (e.code == code) return e;
        }
        return null;
    }
}
