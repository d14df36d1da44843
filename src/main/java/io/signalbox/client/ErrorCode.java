package io.signalbox.client;

/**
 * What went wrong, in a {@link SignalingException}. Each code has a stable {@linkplain #number()
 * number}: OpenTok's where OpenTok has one for the same failure, and the same as the wire protocol's
 * for the errors the server reports.
 */
public enum ErrorCode {
    /** The token was refused: forged, expired, for another session or malformed. */
    AUTHENTICATION_FAILED(1004),
    /** The session id is not one the server accepts. */
    INVALID_SESSION_ID(1005),
    /** The server could not be reached, did not answer in time, or ended the link while joining. */
    CONNECT_FAILED(1006),
    /**
     * The server's TLS certificate was refused: the Java runtime's trust store does not vouch for it, it
     * is for another host name, or it is not the one certificate the session was told to trust. Not
     * retried: another attempt would meet the same certificate.
     */
    CERTIFICATE_NOT_TRUSTED(1030),
    /**
     * The session is not connected: before {@code connect()} completes, after {@code disconnect()}
     * or a disconnection, or (for a signal) the link ended before the server acknowledged it.
     */
    NOT_CONNECTED(1010),
    /** The call does not fit the session's state: {@code connect()} while connecting or connected. */
    ILLEGAL_STATE(1015),
    /** The server could not take the connection back after a drop. */
    RESUME_REFUSED(1022),
    /**
     * A message could not be understood: the server could not read one of the client's, or the
     * client could not read (or did not expect) one of the server's.
     */
    MALFORMED_MESSAGE(1400),
    /** The connection's role does not allow this (a signal from a connection that may not send any). */
    NOT_PERMITTED(1403),
    /** The addressed connection is not in the session. */
    CONNECTION_NOT_FOUND(1404),
    /** A signal's data is over 8192 bytes of UTF-8. */
    SIGNAL_DATA_TOO_LONG(1413),
    /** A signal's type is over 128 characters. */
    SIGNAL_TYPE_TOO_LONG(1414),
    /** The client and server share no protocol version. */
    UNSUPPORTED_PROTOCOL(1426),
    /**
     * The signal was refused: the connection sent more signals or bytes per second than the server
     * allows. The connection stays open; {@link SignalingException#retryAfter()} says when to send again.
     * Signals queued during a reconnection never fail with it: the SDK paces them and sends again.
     */
    RATE_LIMITED(1429),
    /** The session already has the most connections the server allows; {@code connect()} failed. */
    SESSION_FULL(1409),
    /** A signal's data is missing ({@code null}). */
    INVALID_SIGNAL_DATA(1460),
    /** A signal's type is missing or has a character outside {@code A-Z a-z 0-9 - _ ~}. */
    INVALID_SIGNAL_TYPE(1461),
    /** Something failed in the server, or the server reported an error this SDK does not know. */
    INTERNAL_ERROR(1500),
    /** The queue of signals waiting for a reconnection is full; the signal was not queued. */
    QUEUE_FULL(1507),
    /** A queued signal was cancelled with {@link Session#cancelQueuedSignal} before it was sent. */
    CANCELLED(1508),
    /**
     * The link was lost for good while a signal was on its way and whether it arrived cannot be known.
     */
    DELIVERY_UNKNOWN(1512);

    private final int number;

    ErrorCode(int number) {
        this.number = number;
    }

    /** The stable number of this code. */
    public int number() {
        return number;
    }

    /** The code with the given number, or {@code null} when this SDK knows none. */
    public static ErrorCode fromNumber(int number) {
        for (ErrorCode code : values()) {
            if (code.number == number) return code;
        }
        return null;
    }
}
