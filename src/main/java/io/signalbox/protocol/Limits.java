package io.signalbox.protocol;

/**
 * The limits of the signaling contract, shared by the SDK (which checks before sending) and the server
 * (which enforces them again and never trusts a client).
 */
public final class Limits {
    /** The protocol version this build speaks. */
    public static final int PROTOCOL_VERSION = 1;
    /** A signal's type: at most this many characters. */
    public static final int MAX_TYPE_LENGTH = 128;
    /** A signal's data: at most this many bytes of UTF-8. */
    public static final int MAX_DATA_BYTES = 8192;
    /** A connection's data, from its token: at most this many characters. */
    public static final int MAX_CONNECTION_DATA_LENGTH = 1000;
    /** A WebSocket frame: at most this many bytes; a larger one closes the socket with 1009. */
    public static final int MAX_FRAME_BYTES = 64 * 1024;

    private Limits() {}

    /**
     * Checks a signal's type and data against the contract: length before characters, type before
     * data.
     *
     * @return the first violation, or {@code null} when the signal is valid
     */
    public static WireError checkSignal(String type, String data) {
        if (type == null) return WireError.INVALID_SIGNAL_TYPE;
        if (type.length() > MAX_TYPE_LENGTH) return WireError.SIGNAL_TYPE_TOO_LONG;
        for (int i = 0; i < type.length(); i++) {
            if (!isTypeChar(type.charAt(i))) return WireError.INVALID_SIGNAL_TYPE;
        }
        if (data == null) return WireError.INVALID_SIGNAL_DATA;
        // Every char is at least one byte and at most three, so the exact count is needed only between.
        if (data.length() > MAX_DATA_BYTES
                || (data.length() * 3 > MAX_DATA_BYTES && utf8Length(data) > MAX_DATA_BYTES)) {
            return WireError.SIGNAL_DATA_TOO_LONG;
        }
        return null;
    }

    /** Whether {@code c} may appear in a signal type: {@code A-Z a-z 0-9 - _ ~}. */
    public static boolean isTypeChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '~';
    }

    /**
     * The length of {@code s} in UTF-8, without encoding it. A lone surrogate is not valid Unicode;
     * it counts as the one byte of the {@code '?'} that the JDK's encoder, and so the socket, put in
     * its place.
     */
    public static int utf8Length(CharSequence s) {
        int bytes = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
