package io.signalbox.server;

import io.signalbox.protocol.CloseCodes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the frames a WebSocket client sends (RFC 6455, section 5) from the bytes of its socket and
 * hands on whole messages: a text message as a String, once its fragments are all in; pings and
 * closes as they come. What breaks the protocol (an unmasked frame, reserved bits with no extension
 * agreed, an unknown opcode, a fragmented control frame, text that is not UTF-8) or is too large
 * stops the parser and is reported with the close code the RFC gives it.
 *
 * <p>Not thread-safe: one socket's reader uses it.
 */
final class FrameParser {
    /** What the parser finds. Called on the reader's thread, one call at a time. */
    interface Sink {
        void onText(String message);

        /** A binary message, which the Signalbox protocol has no use for. */
        void onBinary();

        void onPing(byte[] payload);

        /** A close frame; {@code code} is {@link Frames#NO_STATUS} when it had none. */
        void onCloseFrame(int code, String reason);

        /** The client broke the protocol, or sent too much: the socket is to be closed with {@code code}. */
        void onViolation(int code, String reason);
    }

    private final int maxMessageBytes;
    private final Sink sink;
    /** The fragments of a message not yet complete; null between messages. Used by the reader only. */
    private byte[] fragments;
    /** How many bytes of {@code fragments} are in use. */
    private int fragmentsLength;
    /** The opcode of the message being assembled (text or binary), or -1 when none is. */
    private int fragmentedOpcode = -1;
    /** Set once the socket is done with: the parser reads nothing more. Set by any thread. */
    private volatile boolean stopped;

    FrameParser(int maxMessageBytes, Sink sink) {
        this.maxMessageBytes = maxMessageBytes;
        this.sink = sink;
    }

    /** Makes the parser read nothing more: the socket is closing. */
    void stop() {
        stopped = true;
    }

    boolean isStopped() {
        return stopped;
    }

    /**
     * Takes every whole frame from {@code buffer} (a heap buffer in flush mode: the bytes to read from
     * its position to its limit), moving its position past them. Returns 0 when it took all there was
     * or stopped; otherwise the size of the frame that has begun, which the buffer must be able to hold
     * for the frame to be read.
     */
    int parse(ByteBuffer buffer) {
        byte[] bytes = buffer.array();
        int base = buffer.arrayOffset();
        while (!stopped && buffer.hasRemaining()) {
            int at = buffer.position();
            int available = buffer.remaining();
            if (available < 2) return 2;
            int b0 = bytes[base + at] & 0xFF;
            int b1 = bytes[base + at + 1] & 0xFF;
            int opcode = b0 & 0x0F;
            boolean fin = (b0 & 0x80) != 0;
            if ((b0 & 0x70) != 0) return violation(Frames.PROTOCOL_ERROR, "reserved bits set: no extension was agreed");
            if ((b1 & 0x80) == 0) return violation(Frames.PROTOCOL_ERROR, "a client's frames must be masked");
            int lengthBytes = switch (b1 & 0x7F) {
                case 126 -> 2;
                case 127 -> 8;
                default -> 0;
            };
            int header = 2 + lengthBytes + 4;
            if (available < header) return header;
            long length = b1 & 0x7F;
            if (lengthBytes > 0) {
                length = 0;
                for (int i = 0; i < lengthBytes; i++) length = (length << 8) | (bytes[base + at + 2 + i] & 0xFF);
            }
            boolean control = opcode >= Frames.CLOSE;
            if (control && (!fin || length > 125)) {
                return violation(Frames.PROTOCOL_ERROR, "a control frame must be whole and at most 125 bytes");
            }
            if (!control && (length < 0 || length + fragmentsLength > maxMessageBytes)) {
                return violation(CloseCodes.MESSAGE_TOO_BIG, "message too large: over " + maxMessageBytes + " bytes");
            }
            int total = header + (int) length;
            if (available < total) return total;
            int payload = base + at + header;
            unmask(bytes, base + at + header - 4, payload, (int) length);
            buffer.position(at + total);
            frame(opcode, fin, bytes, payload, (int) length);
        }
        return 0;
    }

    private void frame(int opcode, boolean fin, byte[] bytes, int offset, int length) {
        switch (opcode) {
            case Frames.TEXT, Frames.BINARY -> {
                if (fragmentedOpcode >= 0) {
                    violation(Frames.PROTOCOL_ERROR, "a new message began before the last one ended");
                } else if (fin) {
                    message(opcode, bytes, offset, length);
                } else {
                    fragmentedOpcode = opcode;
                    append(bytes, offset, length);
                }
            }
            case Frames.CONTINUATION -> {
                if (fragmentedOpcode < 0) {
                    violation(Frames.PROTOCOL_ERROR, "a continuation frame with no message to continue");
                    return;
                }
                append(bytes, offset, length);
                if (fin) {
                    int whole = fragmentedOpcode;
                    byte[] assembled = fragments;
                    int assembledLength = fragmentsLength;
                    fragments = null;
                    fragmentsLength = 0;
                    fragmentedOpcode = -1;
                    message(whole, assembled, 0, assembledLength);
                }
            }
            case Frames.PING -> sink.onPing(Arrays.copyOfRange(bytes, offset, offset + length));
            case Frames.PONG -> {
                // An answer to a ping the server never sends; nothing to do.
            }
            case Frames.CLOSE -> close(bytes, offset, length);
            default -> violation(Frames.PROTOCOL_ERROR, "unknown opcode " + opcode);
        }
    }

    private void message(int opcode, byte[] bytes, int offset, int length) {
        if (opcode == Frames.BINARY) {
            sink.onBinary();
            return;
        }
        String text = utf8(bytes, offset, length);
        if (text == null) {
            violation(Frames.INVALID_DATA, "a text message that is not UTF-8");
        } else {
            sink.onText(text);
        }
    }

    private void close(byte[] bytes, int offset, int length) {
        if (length == 0) {
            stopped = true;
            sink.onCloseFrame(Frames.NO_STATUS, "");
            return;
        }
        int code = length < 2 ? -1 : ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
        String reason = length < 2 ? null : utf8(bytes, offset + 2, length - 2);
        if (!validCloseCode(code) || reason == null) {
            violation(Frames.PROTOCOL_ERROR, "a close frame with a code or reason the protocol does not allow");
            return;
        }
        stopped = true;
        sink.onCloseFrame(code, reason);
    }

    /** Codes a peer may send (RFC 6455, 7.4): the defined ones but those only ever reported, and 3000–4999. */
    private static boolean validCloseCode(int code) {
        return (code >= 1000 && code <= 1014 && code != 1004 && code != Frames.NO_STATUS && code != Frames.ABNORMAL)
                || (code >= 3000 && code <= 4999);
    }

    private void append(byte[] bytes, int offset, int length) {
        if (fragments == null) fragments = new byte[Math.max(256, length)];
        if (fragmentsLength + length > fragments.length) {
            fragments = Arrays.copyOf(fragments,
                    Math.min(maxMessageBytes, Math.max(fragmentsLength + length, fragments.length * 2)));
        }
        System.arraycopy(bytes, offset, fragments, fragmentsLength, length);
        fragmentsLength += length;
    }

    private int violation(int code, String reason) {
        if (stopped) return 0;
        stopped = true;
        fragments = null;
        sink.onViolation(code, reason);
        return 0;
    }

    /** XORs the payload with the frame's 4-byte key, eight bytes at a time where it can. */
    private static void unmask(byte[] bytes, int keyAt, int from, int length) {
        if (length == 0) return;
        byte k0 = bytes[keyAt], k1 = bytes[keyAt + 1], k2 = bytes[keyAt + 2], k3 = bytes[keyAt + 3];
        if ((k0 | k1 | k2 | k3) == 0) return; // a zero key leaves the payload as it is
        int i = 0;
        if (length >= 8) {
            ByteBuffer view = ByteBuffer.wrap(bytes);
            long key = ((k0 & 0xFFL) << 56) | ((k1 & 0xFFL) << 48) | ((k2 & 0xFFL) << 40) | ((k3 & 0xFFL) << 32)
                    | ((k0 & 0xFFL) << 24) | ((k1 & 0xFFL) << 16) | ((k2 & 0xFFL) << 8) | (k3 & 0xFFL);
            for (; i + 8 <= length; i += 8) view.putLong(from + i, view.getLong(from + i) ^ key);
        }
        byte[] key = {k0, k1, k2, k3};
        for (; i < length; i++) bytes[from + i] ^= key[i & 3];
    }

    /**
     * The text of {@code length} bytes of UTF-8, or null if they are not UTF-8. The JDK's decoder
     * replaces bad bytes rather than reporting them, and it is the fast one: only text holding a
     * replacement character is checked again strictly.
     */
    static String utf8(byte[] bytes, int offset, int length) {
        String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0) return text;
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, offset, length));
            return text;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
