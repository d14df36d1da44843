package io.signalbox.server;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.Codec;
import io.signalbox.protocol.ProtocolException;
import io.signalbox.protocol.ServerMessage;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.glassfish.tyrus.client.ClientManager;

/**
 * A bare WebSocket client on Tyrus that speaks the wire protocol by hand, for tests that send what
 * the SDK never would. Frames it receives wait in a queue for the test to take.
 */
final class RawClient implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
    /**
     * A Tyrus client per socket, with no idle timeout at all (-1, not Tyrus's default 0).
     *
     * <p>With a timeout of 0 Tyrus still schedules a do-nothing idle-timeout task on its client's
     * scheduler after every frame sent or received, in a {@code finally} after the send. The
     * scheduler is the client's own, and Tyrus shuts it down the moment the client's last socket has
     * closed. When the server closes a socket in answer to the frame just sent (a bad token, a leave,
     * an oversized frame), the close can be handled on Tyrus's I/O thread before the sending thread
     * reaches that {@code finally}, and a send that went out fine throws
     * {@code RejectedExecutionException}. A negative timeout means no timeout just as 0 does, but
     * Tyrus then schedules nothing, so no socket ever touches the scheduler. For the same reason a
     * client shared by all sockets would not help: the last socket of a test still races it. Each
     * socket keeps a private Grizzly transport too, stopped when it closes: the shared one is stopped
     * by a JVM-wide idle timer that counts only sockets already connected.
     */
    private final ClientManager manager = client();

    private static ClientManager client() {
        ClientManager client = ClientManager.createClient();
        client.setDefaultMaxSessionIdleTimeout(-1);
        return client;
    }

    private final Session session;
    /** Set by connect(), on the test's thread. */
    private String selfId;

    private RawClient(URI uri) throws Exception {
        session = manager.connectToServer(new Endpoint() {
            @Override
            public void onOpen(Session s, EndpointConfig config) {
                s.setMaxTextMessageBufferSize(1 << 20);
                s.addMessageHandler(String.class, (MessageHandler.Whole<String>) frames::add);
            }

            @Override
            public void onClose(Session s, CloseReason reason) {
                closed.complete(reason);
            }
        }, ClientEndpointConfig.Builder.create().build(), uri);
    }

    static RawClient open(SignalboxServer server) throws Exception {
        return new RawClient(URI.create("ws://127.0.0.1:" + server.port() + SignalboxServer.WEBSOCKET_PATH));
    }

    /** Opens a socket to a WebSocket endpoint, such as another process's. */
    static RawClient open(URI ws) throws Exception {
        return new RawClient(ws);
    }

    /** Opens a socket and joins with the token; consumes the welcome. */
    static RawClient joined(SignalboxServer server, String sessionId, String token) throws Exception {
        RawClient client = open(server);
        client.connect(sessionId, token);
        return client;
    }

    /** Sends {@code connect} and waits for the welcome. */
    ServerMessage.Connected connect(String sessionId, String token) throws Exception {
        send(new ClientMessage.Connect(1, sessionId, token));
        ServerMessage.Connected welcome = expect(ServerMessage.Connected.class);
        selfId = welcome.self().id();
        return welcome;
    }

    /** This socket's connection id, once connected. */
    String selfId() {
        return selfId;
    }

    void send(ClientMessage message) throws Exception {
        sendText(Codec.encode(message));
    }

    void sendText(String text) throws Exception {
        session.getBasicRemote().sendText(text);
    }

    void sendBinary(byte[] bytes) throws Exception {
        session.getBasicRemote().sendBinary(ByteBuffer.wrap(bytes));
    }

    /** The next frame, decoded. */
    ServerMessage next() throws Exception {
        String frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (frame == null) throw new AssertionError("no frame within " + WAIT);
        try {
            return Codec.decodeServer(frame);
        } catch (ProtocolException e) {
            throw new AssertionError("undecodable frame: " + frame, e);
        }
    }

    /** The next frame, which must be of this kind. */
    <T extends ServerMessage> T expect(Class<T> kind) throws Exception {
        ServerMessage m = next();
        if (!kind.isInstance(m)) throw new AssertionError("expected " + kind.getSimpleName() + " but got " + m);
        return kind.cast(m);
    }

    /** The next frame of this kind, skipping others (connection events, say). */
    <T extends ServerMessage> T skipTo(Class<T> kind) throws Exception {
        while (true) {
            ServerMessage m = next();
            if (kind.isInstance(m)) return kind.cast(m);
        }
    }

    /** Whether a frame arrives within a short time. */
    String pollRaw(Duration within) throws InterruptedException {
        return frames.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    CloseReason awaitClose() throws Exception {
        return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    CloseReason awaitClose(Duration within) throws Exception {
        return closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean isOpen() {
        return session.isOpen() && !closed.isDone();
    }

    @Override
    public void close() throws Exception {
        if (session.isOpen()) session.close();
    }
}
