package io.signalbox.bench;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.Codec;
import io.signalbox.protocol.Limits;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of the wire protocol (docs/protocol.md) for the lean client, on bytes. Frames that are
 * rare (connect, ping, leave) go through the {@link Codec}; the hot path (signals out, signals in)
 * writes and scans bytes by hand: the server's frames start with their {@code kind} (the codec writes
 * it first), and the workloads put what they need in {@code data} as ASCII digits.
 */
final class Wire {
    static final byte[] SIGNAL = ascii("{\"kind\":\"signal\"");
    static final byte[] ACK = ascii("{\"kind\":\"ack\"");
    static final byte[] NACK = ascii("{\"kind\":\"nack\"");
    static final byte[] CONNECTED = ascii("{\"kind\":\"connected\"");
    static final byte[] JOINED = ascii("{\"kind\":\"joined\"");
    static final byte[] ERROR = ascii("{\"kind\":\"error\"");
    private static final byte[] SELF_ID = ascii("\"self\":{\"id\":\"");
    private static final byte[] CONNECTION = ascii("{\"id\":\"");
    private static final byte[] DATA = ascii("\"data\":\"");
    private static final byte[] SIGNAL_OUT = ascii("{\"kind\":\"signal\",\"seq\":");
    private static final byte[] TYPE_DATA = ascii(",\"type\":\"b\",\"data\":\"");
    private static final byte[] TO = ascii("\",\"to\":\"");
    private static final byte[] END_STRING_OBJECT = ascii("\"}");

    private Wire() {}

    static byte[] connect(String sessionId, String token) {
        return utf8(Codec.encode(new ClientMessage.Connect(Limits.PROTOCOL_VERSION, sessionId, token)));
    }

    static byte[] ping(long received) {
        return utf8(Codec.encode(new ClientMessage.Ping(received)));
    }

    static byte[] leave() {
        return utf8(Codec.encode(new ClientMessage.Leave()));
    }

    static boolean startsWith(ByteBuffer buf, int from, int to, byte[] prefix) {
        if (to - from < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if (buf.get(from + i) != prefix[i]) return false;
        }
        return true;
    }

    /** The connection id in a {@code connected} frame, or null. */
    static String selfId(ByteBuffer buf, int from, int to) {
        int at = WsConn.indexOf(buf, from, to, SELF_ID);
        if (at < 0) return null;
        int start = at + SELF_ID.length;
        int end = start;
        while (end < to && buf.get(end) != '"') end++;
        return WsConn.ascii(buf, start, end);
    }

    /**
     * How many other members a {@code connected} frame lists: its connection objects but the client's
     * own. The bench's tokens carry no data, so no {@code {"id":"} appears but as a connection's start.
     */
    static int othersListed(ByteBuffer buf, int from, int to) {
        int count = 0;
        for (int at = WsConn.indexOf(buf, from, to, CONNECTION); at >= 0;
             at = WsConn.indexOf(buf, at + CONNECTION.length, to, CONNECTION)) {
            count++;
        }
        return Math.max(0, count - 1);
    }

    /** Where the characters of a signal's {@code data} begin, or -1. */
    static int dataStart(ByteBuffer buf, int from, int to) {
        int at = WsConn.indexOf(buf, from, Math.min(to, from + 400), DATA);
        return at < 0 ? -1 : at + DATA.length;
    }

    /** The decimal number at {@code pos}, up to the first byte that is not a digit. */
    static long number(ByteBuffer buf, int pos, int to) {
        long n = 0;
        for (int i = pos; i < to; i++) {
            int c = buf.get(i) - '0';
            if (c < 0 || c > 9) break;
            n = n * 10 + c;
        }
        return n;
    }

    /** The position after the number at {@code pos} and the one separator byte that follows it. */
    static int skipNumber(ByteBuffer buf, int pos, int to) {
        int i = pos;
        while (i < to && buf.get(i) >= '0' && buf.get(i) <= '9') i++;
        return i + 1;
    }

    /**
     * Starts a signal frame of type {@code b} in {@code out}: everything up to the first character of
     * its data. Finish it with {@link #endSignal}.
     */
    static void beginSignal(Bytes out, long seq) {
        out.clear();
        out.put(SIGNAL_OUT).putLong(seq).put(TYPE_DATA);
    }

    /** Ends a signal frame begun with {@link #beginSignal}: to everyone when {@code to} is null. */
    static void endSignal(Bytes out, byte[] to) {
        if (to == null) {
            out.put(END_STRING_OBJECT);
        } else {
            out.put(TO).put(to).put(END_STRING_OBJECT);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
