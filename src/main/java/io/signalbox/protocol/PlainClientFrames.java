package io.signalbox.protocol;

/**
 * Reads the two messages a client sends most, a signal and a ping, without Jackson, when they are
 * written plainly: one JSON object, no whitespace, each field once, string values without escapes
 * or control characters, whole numbers from 0 to 18 digits, no other field. That is how the SDK and
 * Jackson write them. Anything else is left to Jackson ({@code null}), which decides as it always
 * has, errors included: the answer here is either Jackson's or none.
 *
 * <p>Jackson's reader costs a parser, its contexts and buffers for every message, several times the
 * rest of what decoding a signal needs.
 */
final class PlainClientFrames {
    private PlainClientFrames() {}

    /** The message {@code frame} holds, or null when it is not written plainly (see the class). */
    static ClientMessage read(String frame) {
        int n = frame.length();
        if (n < 2 || frame.charAt(0) != '{' || frame.charAt(n - 1) != '}') return null;
        String kind = null, type = null, data = null, to = null;
        long seq = -1, received = -1;
        int i = 1;
        if (i == n - 1) return null; // {}: no kind
        while (true) {
            // "key":
            if (frame.charAt(i) != '"') return null;
            int keyEnd = frame.indexOf('"', i + 1);
            if (keyEnd < 0 || keyEnd + 1 >= n || frame.charAt(keyEnd + 1) != ':') return null;
            int key = key(frame, i + 1, keyEnd);
            int at = keyEnd + 2;
            if (key == UNKNOWN || at >= n) return null;
            int end;
            if (key == SEQ || key == RECEIVED) {
                end = digitsEnd(frame, at);
                if (end < 0) return null;
                long value = Long.parseLong(frame, at, end, 10);
                if (key == SEQ) {
                    if (seq >= 0) return null;
                    seq = value;
                } else {
                    if (received >= 0) return null;
                    received = value;
                }
            } else {
                end = stringEnd(frame, at);
                if (end < 0) return null;
                String value = frame.substring(at + 1, end - 1);
                switch (key) {
                    case KIND -> {
                        if (kind != null) return null;
                        kind = value;
                    }
                    case TYPE -> {
                        if (type != null) return null;
                        type = value;
                    }
                    case DATA -> {
                        if (data != null) return null;
                        data = value;
                    }
                    default -> {
                        if (to != null) return null;
                        to = value;
                    }
                }
            }
            if (end == n - 1) break;
            if (frame.charAt(end) != ',') return null;
            i = end + 1;
            if (i >= n - 1) return null;
        }
        if (kind == null) return null;
        try {
            if (kind.equals("signal")) {
                if (received >= 0 || seq < 0 || type == null || data == null) return null;
                return new ClientMessage.SendSignal(seq, type, data, to);
            }
            if (kind.equals("ping")) {
                if (seq >= 0 || type != null || data != null || to != null) return null;
                return new ClientMessage.Ping(received < 0 ? null : received);
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    private static final int UNKNOWN = 0, KIND = 1, SEQ = 2, TYPE = 3, DATA = 4, TO = 5, RECEIVED = 6;

    private static int key(String frame, int from, int to) {
        return switch (to - from) {
            case 2 -> frame.startsWith("to", from) ? TO : UNKNOWN;
            case 3 -> frame.startsWith("seq", from) ? SEQ : UNKNOWN;
            case 4 -> frame.startsWith("kind", from) ? KIND
                    : frame.startsWith("type", from) ? TYPE
                    : frame.startsWith("data", from) ? DATA : UNKNOWN;
            case 8 -> frame.startsWith("received", from) ? RECEIVED : UNKNOWN;
            default -> UNKNOWN;
        };
    }

    /** The end of a whole number at {@code at} (no sign, no leading zero, at most 18 digits), or -1. */
    private static int digitsEnd(String frame, int at) {
        int i = at;
        while (i < frame.length() && frame.charAt(i) >= '0' && frame.charAt(i) <= '9') i++;
        int digits = i - at;
        if (digits == 0 || digits > 18 || (digits > 1 && frame.charAt(at) == '0')) return -1;
        return i;
    }

    /** Where a string's characters are copied to be checked; one per thread, grown as needed. */
    private static final ThreadLocal<char[][]> SCRATCH = ThreadLocal.withInitial(() -> new char[][] {new char[256]});

    /** The end (after the closing quote) of a string at {@code at} without escapes or control characters, or -1. */
    private static int stringEnd(String frame, int at) {
        if (frame.charAt(at) != '"') return -1;
        int quote = frame.indexOf('"', at + 1);
        if (quote < 0) return -1;
        int length = quote - at - 1;
        char[][] holder = SCRATCH.get();
        if (holder[0].length < length) holder[0] = new char[Math.max(length, holder[0].length * 2)];
        char[] chars = holder[0];
        frame.getChars(at + 1, quote, chars, 0);
        // Negative once any character is below 0x20 or a backslash; no branch, so the loop is vectorised.
        int bad = 0;
        for (int i = 0; i < length; i++) {
            int c = chars[i];
            bad |= (c - 0x20) | ((c ^ '\\') - 1);
        }
        return bad < 0 ? -1 : quote + 1;
    }
}
