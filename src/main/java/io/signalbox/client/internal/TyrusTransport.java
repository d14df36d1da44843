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
import org.glassfish.tyrus.client.SslEngineConfigurator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Transport}: a WebSocket client of Tyrus on its Grizzly container.
 *
 * <p>Tyrus's {@code connectToServer} blocks through the handshake, so {@link #open} runs it on a
 * short-lived virtual thread of its own. Tyrus may report a broken link through both {@code onError} and
 * {@code onClose}; only the first reaches the listener.
 */
final class TyrusTransport implements Transport {
    private static final Logger log = LoggerFactory.getLogger(TyrusTransport.class);

    private final ClientManager client;
    /** Which servers to believe when the URL is wss. */
    private final TlsTrust trust;
    /** Set once the listener has heard the link's end, or by abort(); afterwards nothing is reported. */
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Who hears about the link; set once by open(). */
    private volatile TransportListener listener;
    /** The open WebSocket, or null before it opened; set by Tyrus's onOpen. */
    private volatile Session session;

    private TyrusTransport(ClientManager client, TlsTrust trust) {
        this.client = client;
        this.trust = trust;
    }

    /**
     * Transports for one session, sharing one Tyrus client on Tyrus's process-wide shared Grizzly
     * container: one set of selector and worker threads for every link of every session in this
     * process, so that a thousand sessions cost a thousand sockets, not a thousand thread pools. The
     * shared container stops by itself once no link has been open for {@link #SHARED_IDLE_SECONDS}.
     *
     * <p>Tyrus's client would also make executors of its own (a scheduled pool of ten threads per
     * client, for idle timers it reschedules on every frame) and shut them down whenever its last link
     * ends, which races the next link's handshake. Instead it runs on the session's scheduler and on
     * virtual threads, which nobody has to shut down.
     */
    static Transport.Factory factory(Duration handshakeTimeout, ScheduledExecutorService scheduler, TlsTrust trust) {
        int timeout = (int) Math.min(Integer.MAX_VALUE, handshakeTimeout.toMillis());
        ExecutorService tasks = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("signalbox-tyrus").factory());
        ClientManager client = new ClientManager() {
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
        client.setDefaultMaxSessionIdleTimeout(-1);
        client.getProperties().put(ClientProperties.SHARED_CONTAINER, true);
        client.getProperties().put(ClientProperties.SHARED_CONTAINER_IDLE_TIMEOUT, SHARED_IDLE_SECONDS);
        client.getProperties().put(ClientProperties.HANDSHAKE_TIMEOUT, timeout);
        return () -> new TyrusTransport(client, trust);
    }

    /**
     * How long the shared container outlives its last link: long enough that a session reconnecting
     * after a drop (its backoff is capped at seconds) finds it still running.
     */
    private static final int SHARED_IDLE_SECONDS = 60;

    @Override
    public void open(URI uri, TransportListener listener) {
        this.listener = listener;
        if ("wss".equalsIgnoreCase(uri.getScheme())) {
            // Only for wss: Tyrus puts TLS under any link that has a configurator, ws ones included.
            // Without one it would build a context from javax.net.ssl.* itself; ours is the JVM's
            // default context, or one that trusts the pinned certificate alone.
            SslEngineConfigurator tls = new SslEngineConfigurator(trust.sslContext(), true, false, false)
                    .setHostVerificationEnabled(trust.checksHostName());
            client.getProperties().put(ClientProperties.SSL_ENGINE_CONFIGURATOR, tls);
        }
        // A virtual thread: the handshake only waits, and a storm of reconnections may run a thousand at once.
        Thread.ofVirtual().name("signalbox-connect").start(() -> {
            try {
                client.connectToServer(new LinkEndpoint(), ClientEndpointConfig.Builder.create().build(), uri);
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
        Session s = session;
        if (s != null) closeQuietly(s);
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
            if (ended.get()) {
                // abort() came while the handshake was running: drop what it produced.
                closeQuietly(s);
                return;
            }
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
