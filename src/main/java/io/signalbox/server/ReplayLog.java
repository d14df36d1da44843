package io.signalbox.server;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A connection's recent signal frames, oldest first, kept for a client that resumes: the replay
 * buffer of a {@link Peer}. Not thread-safe; the peer guards it.
 *
 * <p>A frame is kept as its UTF-8 bytes in chunks of a few kilobytes that are used again once read,
 * not as a String of its own: a frame stays until its client's next heartbeat says it arrived, some
 * seconds, and thousands of small Strings that live that long are what the young collections spent
 * their pauses copying (at 20,000 direct signals a second, pauses of 30-60 ms every second and a half).
 * Chunks in use, and the spare ones, live long and are left where the collector put them.
 *
 * <p>The bytes are those of the frame the thread's socket writes take too ({@link Frames#last}): a
 * frame is encoded once for both. A broadcast hands the same String to each of its receivers in turn:
 * from the second on, a frame already kept by one buffer is kept as a reference to that String, so
 * that a thousand receivers hold one frame, not a thousand copies.
 */
final class ReplayLog {
    /** The size of a chunk; a frame larger than that spans several. */
    static final int CHUNK_BYTES = 8 * 1024;
    /** Spare chunks kept for any log to take, at most (8 MiB); more are left to the collector. */
    private static final int SPARE_CHUNKS = 1024;
    private static final ArrayBlockingQueue<byte[]> SPARE = new ArrayBlockingQueue<>(SPARE_CHUNKS);
    /** The header of an entry that is a reference to a shared frame, not bytes. */
    private static final int SHARED = -1;

    /** The chunks, oldest first; the first is read from {@code headPos}, the last written at {@code tailPos}. */
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>(2);
    private int headPos;
    private int tailPos = CHUNK_BYTES;
    /** The shared frames, in the order of their entries. */
    private ArrayDeque<String> shared;
    private int size;
    /** The frames' lengths in characters, for the bound on the buffer. */
    private long chars;

    /** Adds a frame at the end. */
    void add(String frame) {
        Frames.Last last = Frames.last(frame);
        if (last.kept++ > 0) {
            if (shared == null) shared = new ArrayDeque<>();
            shared.addLast(frame);
            putInt(SHARED);
        } else {
            int length = last.frame.length - last.payloadAt;
            putInt(length);
            putInt(frame.length());
            put(last.frame, last.payloadAt, length);
        }
        size++;
        chars += frame.length();
    }

    /** Drops the oldest frame; there must be one. */
    void dropFirst() {
        int length = takeInt();
        if (length == SHARED) {
            chars -= shared.removeFirst().length();
        } else {
            chars -= takeInt();
            skipHead(length);
        }
        size--;
        if (size == 0) clear();
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The frames' length in characters. */
    long chars() {
        return chars;
    }

    /** The frames from the {@code skip}-th on (0 for all), oldest first. */
    List<String> frames(long skip) {
        List<String> out = new ArrayList<>((int) Math.max(0, size - skip));
        Reader reader = new Reader();
        Iterator<String> shares = shared == null ? null : shared.iterator();
        for (long index = 0; index < size; index++) {
            int length = reader.readInt();
            String frame;
            if (length == SHARED) {
                frame = shares.next();
            } else {
                reader.readInt(); // its length in characters
                if (index < skip) {
                    reader.read(null, length);
                    continue;
                }
                frame = reader.readString(length);
            }
            if (index >= skip) out.add(frame);
        }
        return out;
    }

    /** Drops every frame and gives the chunks back. */
    void clear() {
        for (byte[] chunk : chunks) SPARE.offer(chunk);
        chunks.clear();
        headPos = 0;
        tailPos = CHUNK_BYTES;
        shared = null;
        size = 0;
        chars = 0;
    }

    private void putInt(int value) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            if (tailPos == CHUNK_BYTES) newChunk();
            chunks.peekLast()[tailPos++] = (byte) (value >> shift);
        }
    }

    private void put(byte[] src, int offset, int length) {
        while (length > 0) {
            if (tailPos == CHUNK_BYTES) newChunk();
            int n = Math.min(length, CHUNK_BYTES - tailPos);
            System.arraycopy(src, offset, chunks.peekLast(), tailPos, n);
            tailPos += n;
            offset += n;
            length -= n;
        }
    }

    private void newChunk() {
        byte[] chunk = SPARE.poll();
        chunks.addLast(chunk == null ? new byte[CHUNK_BYTES] : chunk);
        tailPos = 0;
    }

    private int takeInt() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            value = value << 8 | (chunks.peekFirst()[headPos++] & 0xFF);
            if (headPos == CHUNK_BYTES) giveBackHead();
        }
        return value;
    }

    private void giveBackHead() {
        SPARE.offer(chunks.removeFirst());
        headPos = 0;
    }

    /** Drops {@code length} bytes from the head, giving back each chunk passed to its end. */
    private void skipHead(int length) {
        headPos += length;
        while (headPos >= CHUNK_BYTES) {
            SPARE.offer(chunks.removeFirst());
            headPos -= CHUNK_BYTES;
        }
    }

    /** Reads the entries from the head without taking them. */
    private final class Reader {
        private final Iterator<byte[]> next = chunks.iterator();
        private byte[] chunk = next.hasNext() ? next.next() : null;
        private int pos = headPos;

        int readInt() {
            int value = 0;
            for (int i = 0; i < 4; i++) {
                if (pos == CHUNK_BYTES) nextChunk();
                value = value << 8 | (chunk[pos++] & 0xFF);
            }
            return value;
        }

        String readString(int length) {
            byte[] bytes = new byte[length];
            read(bytes, length);
            return new String(bytes, StandardCharsets.UTF_8);
        }

        private void nextChunk() {
            chunk = next.next();
            pos = 0;
        }

        /** Reads {@code length} bytes (into {@code dst} unless null). */
        void read(byte[] dst, int length) {
            int offset = 0;
            while (length > 0) {
                if (pos == CHUNK_BYTES) nextChunk();
                int n = Math.min(length, CHUNK_BYTES - pos);
                if (dst != null) System.arraycopy(chunk, pos, dst, offset, n);
                pos += n;
                offset += n;
                length -= n;
            }
        }
    }
}
