package io.signalbox.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * A lean WebSocket client connection (RFC 6455) run by a {@link WsLoop}: the opening handshake, text
 * frames out (masked with an all-zero key, which the RFC allows the server no way to refuse and which
 * spares the XOR), frames in with 7-, 16- and 64-bit lengths and fragmentation, ping answered with pong.
 * It checks the server's answer only for its 101 status: it is a load generator, not a validating client.
 *
 * <p>Not thread-safe: every method but {@link #open} must run on the loop's thread. It keeps no buffer
 * while idle, so that tens of thousands of idle connections cost the generator little memory.
 */
final class WsConn {
    private static final int CONNECTING = 0;
    private static final int HANDSHAKE = 1;
    private static final int OPEN = 2;
    private static final int CLOSED = 3;
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    final WsLoop loop;
    /** The workload's number for this connection. */
    final int index;
    private final WsHandler handler;
    private final byte[] handshake;
    /** The socket; set by start(), on the loop. */
    private SocketChannel channel;
    private SelectionKey key;
    /** Where the connection is in its life; changed on the loop only. */
    private int state = CONNECTING;
    /** Bytes read but not yet a whole header or frame, in write mode; null when none. */
    private ByteBuffer partial;
    /** A fragmented message being put together, in write mode; null when none. */
    private ByteBuffer fragments;
    /** Bytes the socket did not take yet, in write mode; null when none. */
    private ByteBuffer unsent;
    /** The workload's own state for this connection; set and read on the loop. */
    Object attachment;

    private WsConn(WsLoop loop, int index, WsHandler handler, byte[] handshake) {
        this.loop = loop;
        this.index = index;
        this.handler = handler;
        this.handshake = handshake;
    }

    /**
     * Starts connecting to {@code ws://host:port/path} from {@code source} (null for any address) and
     * returns at once; the handler hears {@code onOpen} or {@code onClosed}.
     */
    static WsConn open(WsLoop loop, int index, WsHandler handler, InetSocketAddress server, InetAddress source,
                       String path) {
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + server.getHostString() + ":" + server.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: c2lnbmFsYm94LWJlbmNoIQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        WsConn conn = new WsConn(loop, index, handler, request.getBytes(StandardCharsets.US_ASCII));
        loop.execute(() -> conn.start(server, source));
        return conn;
    }

    boolean isOpen() {
        return state == OPEN;
    }

    private void start(InetSocketAddress server, InetAddress source) {
        loop.conns.add(this);
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (source != null) channel.bind(new InetSocketAddress(source, 0));
            boolean connected = channel.connect(server);
            key = channel.register(loop.selector(), connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
            if (connected) handshake();
        } catch (IOException | RuntimeException e) {
            fail("cannot connect: " + e);
        }
    }

    private void handshake() {
        state = HANDSHAKE;
        write(ByteBuffer.wrap(handshake));
    }

    /** Called by the loop when the socket is ready. */
    void ready(SelectionKey k) {
        try {
            if (k.isValid() && k.isConnectable()) {
                channel.finishConnect();
                k.interestOps(SelectionKey.OP_READ);
                handshake();
            }
            if (k.isValid() && k.isWritable()) flush();
            if (k.isValid() && k.isReadable()) read();
        } catch (IOException e) {
            fail(e.toString());
        }
    }

    private void read() throws IOException {
        ByteBuffer in = loop.readBuffer;
        // A few reads per turn at most, so that one busy socket does not starve the others.
        for (int turn = 0; turn < 4 && state != CLOSED; turn++) {
            in.clear();
            int n = channel.read(in);
            if (n < 0) {
                fail("the server closed the TCP connection");
                return;
            }
            if (n == 0) return;
            in.flip();
            if (partial == null) {
                process(in);
                if (in.hasRemaining() && state != CLOSED) {
                    partial = ByteBuffer.allocate(Math.max(4096, in.remaining() * 2));
                    partial.put(in);
                }
            } else {
                if (partial.remaining() < in.remaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(Math.max(partial.capacity() * 2, partial.position() + in.remaining()));
                    partial.flip();
                    bigger.put(partial);
                    partial = bigger;
                }
                partial.put(in);
                ByteBuffer buffered = partial.flip();
                process(buffered);
                if (state == CLOSED) return; // failed while handling: partial is gone
                if (buffered.hasRemaining()) {
                    buffered.compact();
                } else {
                    partial = null;
                }
            }
            if (n < in.capacity()) return;
        }
    }

    /** Takes every whole header or frame out of {@code buf}, leaving its position at the first byte of what is incomplete. */
    private void process(ByteBuffer buf) {
        int pos = buf.position();
        int limit = buf.limit();
        while (state != CLOSED) {
            if (state == HANDSHAKE) {
                int end = indexOf(buf, pos, limit, HEADER_END);
                if (end < 0) break;
                String status = ascii(buf, pos, Math.min(end, pos + 40));
                if (!status.startsWith("HTTP/1.1 101")) {
                    fail("the server refused the upgrade: " + status.lines().findFirst().orElse(""));
                    return;
                }
                pos = end + HEADER_END.length;
                state = OPEN;
                handler.onOpen(this);
                continue;
            }
            int available = limit - pos;
            if (available < 2) break;
            int b0 = buf.get(pos) & 0xff;
            int b1 = buf.get(pos + 1) & 0xff;
            int headerLength = 2;
            long length = b1 & 0x7f;
            if (length == 126) {
                if (available < 4) break;
                length = buf.getShort(pos + 2) & 0xffff;
                headerLength = 4;
            } else if (length == 127) {
                if (available < 10) break;
                length = buf.getLong(pos + 2);
                headerLength = 10;
            }
            if ((b1 & 0x80) != 0) {
                fail("the server sent a masked frame");
                return;
            }
            if (length > Integer.MAX_VALUE / 2) {
                fail("the server sent a frame of " + length + " bytes");
                return;
            }
            if (available < headerLength + length) break;
            int from = pos + headerLength;
            int to = from + (int) length;
            pos = to;
            frame(b0, buf, from, to);
        }
        buf.position(Math.min(pos, limit));
    }

    private void frame(int b0, ByteBuffer buf, int from, int to) {
        boolean fin = (b0 & 0x80) != 0;
        switch (b0 & 0x0f) {
            case 0x1 -> {
                if (fin) {
                    handler.onText(this, buf, from, to);
                } else {
                    fragments = append(ByteBuffer.allocate(Math.max(1024, 2 * (to - from))), buf, from, to);
                }
            }
            case 0x0 -> {
                if (fragments == null) return;
                fragments = append(fragments, buf, from, to);
                if (fin) {
                    ByteBuffer whole = fragments;
                    fragments = null;
                    handler.onText(this, whole, 0, whole.position());
                }
            }
            case 0x8 -> {
                int code = to - from >= 2 ? buf.getShort(from) & 0xffff : 1005;
                String reason = to - from > 2 ? utf8(buf, from + 2, to) : "";
                sendFrame(0x88, new byte[] {(byte) (code >> 8), (byte) code}, 0, 2);
                fail("closed by the server: " + code + (reason.isEmpty() ? "" : " " + reason));
            }
            case 0x9 -> {
                byte[] payload = new byte[to - from];
                buf.get(from, payload);
                sendFrame(0x8A, payload, 0, payload.length);
            }
            default -> {
                // pong and binary frames carry nothing the generator needs
            }
        }
    }

    /** Sends one text message of {@code bytes[off, off+len)} (UTF-8). Dropped when not open. */
    void sendText(byte[] bytes, int off, int len) {
        if (state != OPEN) return;
        sendFrame(0x81, bytes, off, len);
    }

    /** Sends a close frame with code 1000 and then waits for the server's close. */
    void close() {
        if (state != OPEN) return;
        sendFrame(0x88, new byte[] {0x03, (byte) 0xE8}, 0, 2);
    }

    private void sendFrame(int b0, byte[] bytes, int off, int len) {
        if (channel == null || state == CLOSED) return;
        ByteBuffer frame = loop.writeBuffer(len + 14);
        frame.put((byte) b0);
        if (len < 126) {
            frame.put((byte) (0x80 | len));
        } else if (len < 65536) {
            frame.put((byte) (0x80 | 126));
            frame.putShort((short) len);
        } else {
            frame.put((byte) (0x80 | 127));
            frame.putLong(len);
        }
        frame.putInt(0); // the masking key: all zero, so the payload goes as it is
        frame.put(bytes, off, len);
        frame.flip();
        write(frame);
    }

    private void write(ByteBuffer bytes) {
        try {
            if (unsent == null) {
                channel.write(bytes);
                if (!bytes.hasRemaining()) return;
                unsent = ByteBuffer.allocate(Math.max(4096, bytes.remaining() * 2));
                unsent.put(bytes);
                key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
            } else {
                if (unsent.remaining() < bytes.remaining()) {
                    ByteBuffer bigger = ByteBuffer.allocate(Math.max(unsent.capacity() * 2, unsent.position() + bytes.remaining()));
                    unsent.flip();
                    bigger.put(unsent);
                    unsent = bigger;
                }
                unsent.put(bytes);
            }
        } catch (IOException e) {
            fail(e.toString());
        }
    }

    private void flush() throws IOException {
        if (unsent == null) {
            key.interestOps(SelectionKey.OP_READ);
            return;
        }
        unsent.flip();
        channel.write(unsent);
        if (unsent.hasRemaining()) {
            unsent.compact();
        } else {
            unsent = null;
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    /** How many bytes wait to be written: a sign that the server reads slower than the generator writes. */
    int unsentBytes() {
        return unsent == null ? 0 : unsent.position();
    }

    /** Ends the connection at once and tells the handler, once. */
    void fail(String why) {
        if (state == CLOSED) return;
        state = CLOSED;
        partial = null;
        unsent = null;
        fragments = null;
        if (key != null) key.cancel();
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing what failed already
            }
        }
        handler.onClosed(this, why);
    }

    private static ByteBuffer append(ByteBuffer to, ByteBuffer from, int start, int end) {
        int len = end - start;
        if (to.remaining() < len) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(to.capacity() * 2, to.position() + len));
            to.flip();
            bigger.put(to);
            to = bigger;
        }
        to.put(to.position(), from, start, len);
        to.position(to.position() + len);
        return to;
    }

    static int indexOf(ByteBuffer buf, int from, int to, byte[] needle) {
        outer:
        for (int i = from; i <= to - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf.get(i + j) != needle[j]) continue outer;
            }
            return i;
        }
        return -1;
    }

    static String ascii(ByteBuffer buf, int from, int to) {
        byte[] bytes = new byte[Math.max(0, to - from)];
        buf.get(from, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    static String utf8(ByteBuffer buf, int from, int to) {
        byte[] bytes = new byte[Math.max(0, to - from)];
        buf.get(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
