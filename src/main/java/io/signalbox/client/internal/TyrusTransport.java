package io.signalbox.client.internal;

import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.Session;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.tyrus.client.ClientManager;
import org.glassfish.tyrus.client.ClientProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Transport}: a WebSocket client of Tyrus on sockets of its own
 * ({@link SocketContainer}), so that {@link #abort} closes the link's socket at any stage, the
 * handshake included.
 *
 * <p>Tyrus's {@code connectToServer} blocks through the handshake, so {@link #open} runs it on a
 * short-lived virtual thread of its own. Tyrus may report a broken link through both {@code onError} and
 * {@code onClose}; only the first reaches the listener.
 */
final class TyrusTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(TyrusTransport.class);

    private final ClientManager client;
    /** Set once the listener has heard the link's end, or by abort(); afterwards nothing is reported. */
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Who hears about the link; set once by open(). */
    private volatile TransportListener listener;
    /** The attempt's socket, which abort() closes at any stage. */
    private final SocketContainer.Attempt attempt;
    /** The open WebSocket, or null before it opened; set by Tyrus's onOpen. */
    private volatile Session session;

    private TyrusTransport(ClientManager client, TlsTrust trust) {
        this.client = client;
        this.attempt = new SocketContainer.Attempt(trust);
    }

    /**
     * Transports for one session, sharing one Tyrus client. Each link costs a socket and a virtual
     * thread that reads it, so that a thousand sessions cost a thousand sockets, not a thousand thread
     * pools.
     *
     * <p>Tyrus's client would also make executors of its own (a scheduled pool of ten threads per
     * client, for idle timers it reschedules on every frame) and shut them down whenever its last link
     * ends, which races the next link's handshake. Instead it runs on the session's scheduler and on
     * virtual threads, which nobody has to shut down.
     */
    static Transport.Factory factory(Duration handshakeTimeout, ScheduledExecutorService scheduler, TlsTrust trust) {
        int timeout = (int) Math.min(Integer.MAX_VALUE, handshakeTimeout.toMillis());
        ExecutorService tasks = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("signalbox-tyrus").factory());
        // Tyrus's sessions take their executors and defaults from this container; it never connects itself.
        ClientManager settings = new ClientManager() {
            @Override
            public ScheduledExecutorService getScheduledExecutorService() {
                return scheduler;
            }

            @Override
            public ExecutorService getExecutorService() {
                return tasks;
            }
        };
        // Negative, not Tyrus's default 0 (both mean no idle timeout): with 0 Tyrus schedules a no-op
        // idle check after every frame in each direction, on the scheduler.
        settings.setDefaultMaxSessionIdleTimeout(-1);
        ClientManager client = ClientManager.createClient(SocketContainer.class.getName(), settings);
        client.getProperties().put(ClientProperties.HANDSHAKE_TIMEOUT, timeout);
        return () -> new TyrusTransport(client, trust);
    }

    @Override
    public void open(URI uri, TransportListener listener) {
        this.listener = listener;
        ClientEndpointConfig config = ClientEndpointConfig.Builder.create().build();
        config.getUserProperties().put(SocketContainer.ATTEMPT, attempt);
        // A virtual thread: the handshake only waits, and a storm of reconnections may run a thousand at once.
        Thread.ofVirtual().name("signalbox-connect").start(() -> {
            try {
                client.connectToServer(new LinkEndpoint(), config, uri);
            } catch (DeploymentException | IOException | RuntimeException e) {
                fail(e);
            }
        });
    }

    @Override
    public void send(String frame) {
        Session s = session;
        if (s == null || ended.get()) return;
        try {
            s.getBasicRemote().sendText(frame);
        } catch (IOException | RuntimeException e) {
            fail(e);
            closeQuietly(s);
        }
    }

    @Override
    public void close(int code, String reason) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            abort();
            return;
        }
        try {
            s.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (IOException | RuntimeException e) {
            fail(e);
            closeQuietly(s);
        }
    }

    @Override
    public void abort() {
        ended.set(true);
        // Closes the socket at whatever stage the link is: connecting, waiting for the upgrade, or open.
        attempt.abort();
    }

    private void fail(Throwable failure) {
        if (ended.compareAndSet(false, true)) listener.onFailure(failure);
    }

    private static void closeQuietly(Session s) {
        try {
            if (s.isOpen()) s.close(new CloseReason(CloseReason.CloseCodes.GOING_AWAY, "aborted"));
        } catch (IOException | RuntimeException e) {
            log.debug("closing an aborted link failed", e);
        }
    }

    /** Tyrus's view of the link; forwards to the listener. */
    private final class LinkEndpoint extends Endpoint {
        @Override
        public void onOpen(Session s, EndpointConfig config) {
            session = s;
            if (ended.get()) return; // aborted: the socket is closed already
            // The handler goes in first: the answer to what the listener sends from onOpen may be quick.
            s.addMessageHandler(String.class, (MessageHandler.Whole<String>) frame -> {
                if (!ended.get()) listener.onMessage(frame);
            });
            listener.onOpen();
        }

        @Override
        public void onClose(Session s, CloseReason reason) {
            if (ended.compareAndSet(false, true)) {
                listener.onClosed(reason.getCloseCode().getCode(),
                        reason.getReasonPhrase() == null ? "" : reason.getReasonPhrase());
            }
        }

        @Override
        public void onError(Session s, Throwable failure) {
            fail(failure);
            closeQuietly(s);
        }
    }
}
