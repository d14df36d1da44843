package io.signalbox.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The frames the server writes (RFC 6455, section 5): unmasked, never fragmented, so that a frame's
 * bytes are the same for every receiver. A broadcast's frame is built once per thread and written to
 * each receiver as it is, header included.
 */
final class Frames {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;

    /** The close code of a close frame with no code in it (never sent, only reported). */
    static final int NO_STATUS = 1005;
    /** The close code of a socket that closed without a close frame (never sent, only reported). */
    static final int ABNORMAL = 1006;
    static final int PROTOCOL_ERROR = 1002;
    static final int INVALID_DATA = 1007;
    /** A close reason is limited to 123 bytes of UTF-8, so that the close frame's payload fits 125. */
    private static final int MAX_REASON_BYTES = 123;

    private static final ThreadLocal<Last> LAST = ThreadLocal.withInitial(Last::new);

    private Frames() {
    }

    /**
     * A text frame of {@code message}, to be written to one receiver. The thread's last message is
     * remembered ({@link #last}): a broadcast hands the same String to every receiver in turn, so its
     * frame is encoded once, not once per receiver, and from its second receiver on it is written from
     * one direct buffer that all receivers share: writing a heap buffer to a socket copies it to a
     * direct one first, each time, which for large frames is most of the cost of the write.
     */
    static ByteBuffer text(String message) {
        Last last = last(message);
        if (last.written++ == 0) return ByteBuffer.wrap(last.frame);
        if (last.shared == null) {
            last.shared = ByteBuffer.allocateDirect(last.frame.length).put(last.frame).flip().asReadOnlyBuffer();
        }
        return last.shared.duplicate();
    }

    /**
     * The thread's last text frame, made for {@code message} unless it was the last one already. The
     * socket and the replay buffer of each receiver both take the frame; this way the message is
     * encoded once for both, and once for a broadcast's receivers. Its arrays are shared: nobody may
     * change them.
     */
    static Last last(String message) {
        Last last = LAST.get();
        if (last.message != message) {
            byte[] payload = message.getBytes(StandardCharsets.UTF_8);
            last.frame = frame(TEXT, payload, payload.length);
            last.payloadAt = last.frame.length - payload.length;
            last.message = message;
            last.shared = null;
            last.written = 0;
            last.kept = 0;
        }
        return last;
    }

    /** A close frame with {@code code} and {@code reason}, cut to what fits. */
    static byte[] close(int code, String reason) {
        byte[] words = truncate(reason).getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + words.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(words, 0, payload, 2, words.length);
        return frame(CLOSE, payload, payload.length);
    }

    /** A whole frame: FIN, {@code opcode}, the length in as few bytes as it takes, then the payload. */
    static byte[] frame(int opcode, byte[] payload, int length) {
        int header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
        byte[] frame = new byte[header + length];
        frame[0] = (byte) (0x80 | opcode);
        if (header == 2) {
            frame[1] = (byte) length;
        } else if (header == 4) {
            frame[1] = 126;
            frame[2] = (byte) (length >> 8);
            frame[3] = (byte) length;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) frame[2 + i] = (byte) ((long) length >> (56 - 8 * i));
        }
        System.arraycopy(payload, 0, frame, header, length);
        return frame;
    }

    /** {@code reason} cut to the 123 bytes of UTF-8 a close frame allows, marked as cut; "" for null. */
    static String truncate(String reason) {
        if (reason == null) return "";
        if (reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) return reason;
        int end = Math.min(reason.length(), MAX_REASON_BYTES - 3);
        while (end > 0 && reason.substring(0, end).getBytes(StandardCharsets.UTF_8).length > MAX_REASON_BYTES - 3) {
            end--;
        }
        // Never split a surrogate pair: half of one would not encode.
        if (end > 0 && Character.isHighSurrogate(reason.charAt(end - 1))) end--;
        return reason.substring(0, end) + "...";
    }

    /** A thread's last text frame; changed by that thread only. */
    static final class Last {
        /** The message last framed by this thread, compared by identity. */
        private String message;
        /** Its frame, header and UTF-8 payload; changed with {@code message}. */
        byte[] frame;
        /** Where the payload starts in {@code frame}. */
        int payloadAt;
        /** The frame in a direct buffer, made at its second receiver; null until then. Never changed once made. */
        private ByteBuffer shared;
        /** How many sockets the frame was handed to. */
        private int written;
        /** How many replay buffers kept it ({@link ReplayLog} counts). */
        int kept;
    }
}
