package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.CloseCodes;
import io.signalbox.protocol.Codec;
import io.signalbox.protocol.ServerMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket protocol itself (RFC 6455) as the server speaks it, on plain sockets that send exactly
 * the bytes a test gives them: the handshake, fragments, control frames, the close handshake and what
 * breaks the protocol.
 */
class WebSocketProtocolTest {
    private final ServerFixture fx = new ServerFixture();

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    @DisplayName("the handshake answers the key as RFC 6455 computes it, agreeing no extension")
    void handshake() throws Exception {
        try (Raw raw = new Raw(fx.server.port())) {
            raw.write(upgrade("dGhlIHNhbXBsZSBub25jZQ==", "13", "Sec-WebSocket-Extensions: permessage-deflate\r\n"));
            String answer = raw.readHead();
            assertThat(answer).startsWith("HTTP/1.1 101");
            assertThat(answer).containsIgnoringCase("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
            assertThat(answer.toLowerCase()).doesNotContain("sec-websocket-extensions");
        }
    }

    @Test
    @DisplayName("a plain request to the endpoint is refused with 400 and words; another version with 426 and the one spoken")
    void notAnUpgrade() throws Exception {
        try (Raw raw = new Raw(fx.server.port())) {
            raw.write(("GET /ws HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = raw.readAll();
            assertThat(answer).startsWith("HTTP/1.1 400").contains("WebSocket endpoint");
        }
        try (Raw raw = new Raw(fx.server.port())) {
            raw.write(upgrade("c2lnbmFsYm94LXRlc3QhIQ==", "8", ""));
            String answer = raw.readHead();
            assertThat(answer).startsWith("HTTP/1.1 426").containsIgnoringCase("Sec-WebSocket-Version: 13");
        }
        // The REST API beside it is untouched.
        try (Raw raw = new Raw(fx.server.port())) {
            raw.write(("GET /v2/project/x/session/y/connection HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(raw.readAll()).startsWith("HTTP/1.1 40");
        }
    }

    @Test
    @DisplayName("frames written in the same packet as the upgrade request are read")
    void framesBehindTheUpgrade() throws Exception {
        try (Raw raw = new Raw(fx.server.port())) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(upgrade("c2lnbmFsYm94LXRlc3QhIQ==", "13", ""));
            both.writeBytes(frame(0x81, connect()));
            raw.write(both.toByteArray());
            assertThat(raw.readHead()).startsWith("HTTP/1.1 101");
            assertThat(raw.readMessage()).isInstanceOf(ServerMessage.Connected.class);
        }
    }

    @Test
    @DisplayName("a message in fragments, with a ping between them, is handled whole; the ping is answered with its payload")
    void fragmentsAndPing() throws Exception {
        try (Raw raw = Raw.upgraded(fx.server.port())) {
            byte[] connect = connect();
            int half = connect.length / 2;
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            frames.writeBytes(frame(0x01, java.util.Arrays.copyOfRange(connect, 0, half)));
            frames.writeBytes(frame(0x89, "still there?".getBytes(StandardCharsets.UTF_8)));
            frames.writeBytes(frame(0x80, java.util.Arrays.copyOfRange(connect, half, connect.length)));
            raw.write(frames.toByteArray());
            Raw.Frame pong = raw.readFrame();
            assertThat(pong.opcode()).isEqualTo(0xA);
            assertThat(new String(pong.payload(), StandardCharsets.UTF_8)).isEqualTo("still there?");
            assertThat(raw.readMessage()).isInstanceOf(ServerMessage.Connected.class);
        }
    }

    @Test
    @DisplayName("a frame that arrives a few bytes at a time, and one larger than a read buffer, are read whole")
    void framesInPiecesAndLargerThanABuffer() throws Exception {
        try (Raw raw = Raw.upgraded(fx.server.port())) {
            byte[] connect = frame(0x81, connect());
            for (int at = 0; at < connect.length; at += 7) {
                raw.write(java.util.Arrays.copyOfRange(connect, at, Math.min(connect.length, at + 7)));
                Thread.sleep(2);
            }
            assertThat(raw.readMessage()).isInstanceOf(ServerMessage.Connected.class);
            // 40 KB of data: more than a signal may carry, so it is refused, but only once read whole.
            String big = Codec.encode(new ClientMessage.SendSignal(1L, "t", "x".repeat(40_000), null));
            byte[] bigFrame = frame(0x81, big.getBytes(StandardCharsets.UTF_8));
            raw.write(java.util.Arrays.copyOfRange(bigFrame, 0, 20_000));
            Thread.sleep(20);
            raw.write(java.util.Arrays.copyOfRange(bigFrame, 20_000, bigFrame.length));
            ServerMessage.Nack nack = (ServerMessage.Nack) raw.readMessage();
            assertThat(nack.seq()).isEqualTo(1L);
            assertThat(nack.message()).contains("longer than");
        }
    }

    @Test
    @DisplayName("an unmasked frame closes that socket with 1002; the session's other connections go on")
    void unmaskedFrame() throws Exception {
        try (RawClient other = fx.join(); Raw raw = Raw.upgraded(fx.server.port())) {
            raw.write(frame(0x81, connect()));
            assertThat(raw.readMessage()).isInstanceOf(ServerMessage.Connected.class);
            other.expect(ServerMessage.Joined.class);
            raw.write(new byte[] {(byte) 0x81, 0x02, 'h', 'i'});
            Raw.Frame close = raw.skipToClose();
            assertThat(close.code()).isEqualTo(1002);
            raw.write(frame(0x88, new byte[] {0x03, (byte) 0xEA})); // the client's answer: 1002
            assertThat(raw.readEnd()).isTrue();
            other.expect(ServerMessage.Left.class);
            other.send(new ClientMessage.SendSignal(1L, "t", "still here", null));
            assertThat(other.skipTo(ServerMessage.Signal.class).data()).isEqualTo("still here");
        }
    }

    @Test
    @DisplayName("a client's close is answered with the same code, then the server ends the connection")
    void closeHandshake() throws Exception {
        try (Raw raw = Raw.upgraded(fx.server.port())) {
            raw.write(frame(0x81, connect()));
            assertThat(raw.readMessage()).isInstanceOf(ServerMessage.Connected.class);
            raw.write(frame(0x88, new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'})); // 1000
            assertThat(raw.skipToClose().code()).isEqualTo(CloseCodes.NORMAL);
            raw.shutdownOutput();
            assertThat(raw.readEnd()).isTrue();
        }
    }

    private byte[] connect() {
        return Codec.encode(new ClientMessage.Connect(1, fx.sessionId, fx.token())).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] upgrade(String key, String version, String extra) {
        return ("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: " + version + "\r\n" + extra + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** A masked client frame. */
    static byte[] frame(int first, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xFF);
        }
        byte[] key = {0x11, 0x22, 0x33, 0x44};
        out.writeBytes(key);
        for (int i = 0; i < payload.length; i++) out.write(payload[i] ^ key[i & 3]);
        return out.toByteArray();
    }

    /** A plain socket to the server. */
    private static final class Raw implements AutoCloseable {
        record Frame(int opcode, byte[] payload) {
            int code() {
                return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            }
        }

        private final Socket socket = new Socket();
        private final OutputStream out;
        private final DataInputStream in;

        Raw(int port) throws IOException {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            out = socket.getOutputStream();
            in = new DataInputStream(socket.getInputStream());
        }

        static Raw upgraded(int port) throws IOException {
            Raw raw = new Raw(port);
            raw.write(upgrade("c2lnbmFsYm94LXRlc3QhIQ==", "13", ""));
            String head = raw.readHead();
            if (!head.startsWith("HTTP/1.1 101")) throw new IOException("not upgraded: " + head);
            return raw;
        }

        void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        void shutdownOutput() throws IOException {
            socket.shutdownOutput();
        }

        /** An HTTP response's status line and headers. */
        String readHead() throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) head.append((char) in.readUnsignedByte());
            return head.toString();
        }

        /** Everything until the server closes. */
        String readAll() throws IOException {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        Frame readFrame() throws IOException {
            int head = in.readUnsignedByte();
            int length = in.readUnsignedByte();
            assertThat(length & 0x80).as("server frames are not masked").isZero();
            length &= 0x7F;
            if (length == 126) length = in.readUnsignedShort();
            else if (length == 127) length = Math.toIntExact(in.readLong());
            byte[] payload = new byte[length];
            in.readFully(payload);
            assertThat(head & 0x80).as("server frames are whole").isNotZero();
            return new Frame(head & 0x0F, payload);
        }

        ServerMessage readMessage() throws Exception {
            Frame frame = readFrame();
            assertThat(frame.opcode()).isEqualTo(0x1);
            return Codec.decodeServer(new String(frame.payload(), StandardCharsets.UTF_8));
        }

        Frame skipToClose() throws IOException {
            while (true) {
                Frame frame = readFrame();
                if (frame.opcode() == 0x8) return frame;
            }
        }

        /** Whether the server ended the connection (nothing more to read). */
        boolean readEnd() throws IOException {
            return in.read() < 0;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
