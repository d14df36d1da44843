package io.signalbox.server;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.Codec;
import io.signalbox.protocol.ProtocolException;
import io.signalbox.protocol.ServerMessage;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A WebSocket client on a plain blocking socket that does as it is told: writes several frames in one
 * write, so that the server reads them together, which a WebSocket library never promises; or stops
 * reading, as a receiver that cannot keep up.
 */
final class SocketClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;

    private SocketClient(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(10_000);
        out = socket.getOutputStream();
        in = new DataInputStream(socket.getInputStream());
        out.write(("GET " + SignalboxServer.WEBSOCKET_PATH + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: c29ja2V0LWNsaWVudC0xMg==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        StringBuilder headers = new StringBuilder();
        while (!headers.toString().endsWith("\r\n\r\n")) headers.append((char) in.readUnsignedByte());
        if (!headers.toString().startsWith("HTTP/1.1 101")) throw new IOException("upgrade refused: " + headers);
    }

    static SocketClient open(SignalboxServer server) throws IOException {
        return new SocketClient(server.port(), 0);
    }

    /**
     * Joins and never reads again, not even the welcome; its receive buffer is small, so that the
     * server's writes back up.
     */
    static SocketClient stalled(SignalboxServer server, String sessionId, String token) throws IOException {
        SocketClient client = new SocketClient(server.port(), 2048);
        client.send(new ClientMessage.Connect(1, sessionId, token));
        return client;
    }

    /** Writes every message as its own frame, all in one write. */
    void sendAll(List<? extends ClientMessage> messages) throws IOException {
        ByteArrayOutputStream frames = new ByteArrayOutputStream();
        for (ClientMessage message : messages) frame(frames, Codec.encode(message));
        out.write(frames.toByteArray());
        out.flush();
    }

    void send(ClientMessage message) throws IOException {
        sendAll(List.of(message));
    }

    /** The next message from the server; control frames are skipped. */
    ServerMessage receive() throws IOException, ProtocolException {
        while (true) {
            int head = in.readUnsignedByte();
            int length = in.readUnsignedByte() & 0x7f;
            if (length == 126) length = in.readUnsignedShort();
            else if (length == 127) length = Math.toIntExact(in.readLong());
            byte[] payload = new byte[length];
            in.readFully(payload);
            if ((head & 0x0f) == 0x1) return Codec.decodeServer(new String(payload, StandardCharsets.UTF_8));
            if ((head & 0x0f) == 0x8) throw new IOException("closed by the server");
        }
    }

    /** Skips messages until one of the given kind. */
    <T extends ServerMessage> T skipTo(Class<T> kind) throws IOException, ProtocolException {
        while (true) {
            ServerMessage message = receive();
            if (kind.isInstance(message)) return kind.cast(message);
        }
    }

    private static void frame(ByteArrayOutputStream frames, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        frames.write(0x81); // FIN + text
        if (payload.length < 126) {
            frames.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frames.write(0x80 | 126);
            frames.write(payload.length >>> 8);
            frames.write(payload.length & 0xff);
        } else {
            throw new IllegalArgumentException("frame too large for this helper");
        }
        byte[] mask = {0x5a, 0x13, 0x77, 0x21};
        frames.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) frames.write(payload[i] ^ mask[i % 4]);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
