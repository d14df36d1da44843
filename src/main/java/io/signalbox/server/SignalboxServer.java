package io.signalbox.server;

import io.javalin.Javalin;
import io.signalbox.protocol.CloseCodes;
import io.signalbox.protocol.Limits;
import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.ProjectAuth;
import io.signalbox.server.auth.SessionIds;
import io.signalbox.server.auth.Tokens;
import io.signalbox.server.redis.Backplane;
import io.signalbox.server.redis.RedisBackplane;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.security.cert.X509Certificate;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.session.DefaultSessionCache;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Signalbox server: the WebSocket endpoint at {@code /ws} for the SDK, and the REST API.
 * With {@link ServerConfig#tls()} it serves both over TLS only (HTTPS and WSS on its one port; plain
 * HTTP is not answered there). Built as an instance, so that a test, the command line and the desktop app each start their own:
 *
 * <pre>{@code
 * try (SignalboxServer server = SignalboxServer.start(ServerConfig.defaults(credentials))) {
 *     URI uri = server.uri();   // http://127.0.0.1:<port>, or https:// with TLS
 * }
 * }</pre>
 */
public final class SignalboxServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SignalboxServer.class);

    /** Connections the kernel may hold for the server to accept: enough for a reconnection storm. */
    private static final int ACCEPT_BACKLOG = 4096;
    /**
     * Selector threads, one per processor: on a single node a WebSocket's messages are handled on its
     * selector's thread (see {@link Link}), so the selectors are what spreads the sockets over the
     * processors. Jetty's default, half the processors, would leave half of them to the HTTP requests.
     */
    private static final int SELECTORS = Runtime.getRuntime().availableProcessors();
    /** How long a write batch may hold frames before the sweep writes them: 50 ms. */
    private static final long BATCH_SWEEP_NANOS = 50_000_000L;

    /** The path of the WebSocket endpoint. */
    public static final String WEBSOCKET_PATH = "/ws";

    private final ServerConfig config;
    private final Tokens tokens;
    private final ProjectAuth projectAuth;
    private final SessionRegistry registry;
    /** The cluster's shared sessions, or null for a single node. */
    private final Backplane backplane;
    private final SignalingEndpoint endpoint;
    private final ScheduledExecutorService timers;
    private final RandomGenerator random;
    private final Javalin javalin;
    /** The certificate clients are shown, or null when the server is plain. */
    private final X509Certificate certificate;
    /** Jetty's HTTP sessions, for a test to count them; set once while Javalin builds the server. */
    private volatile SessionHandler httpSessions;
    /** Set once by close(); read by close() only. */
    private boolean closed;

    private SignalboxServer(ServerConfig config) {
        this.config = config;
        // Opened first, before any thread starts or anything listens, so that a wrong password or file
        // fails the start in words and leaves nothing behind.
        ServerTls.Loaded tls = config.secure() ? config.tls().load() : null;
        this.certificate = tls == null ? null : tls.certificate();
        this.random = new SecureRandom();
        this.tokens = new Tokens(config.credentials(), config.clock(), random);
        this.projectAuth = new ProjectAuth(config.credentials(), config.clock(), random);
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform()
                .name("signalbox-timers").daemon(true).factory());
        // Every socket has a timer for its first message, cancelled a moment later: dropped at once,
        // not kept (with the socket it points to) until it would have run.
        timers.setRemoveOnCancelPolicy(true);
        this.timers = timers;
        this.backplane = config.clustered() ? new RedisBackplane(config.redis(), config.redisBacklog(),
                config.reconnectWindow()) : null;
        this.registry = new SessionRegistry(config, random, timers, backplane);
        WriteBatch.Threads batches = new WriteBatch.Threads(System::nanoTime);
        // A safety net: no frame waits in a write batch for longer than a moment, whatever Jetty does.
        timers.scheduleAtFixedRate(() -> batches.sweep(BATCH_SWEEP_NANOS), BATCH_SWEEP_NANOS, BATCH_SWEEP_NANOS,
                TimeUnit.NANOSECONDS);
        this.endpoint = new SignalingEndpoint(registry, tokens, config, timers, batches);
        RestApi rest = new RestApi(registry, projectAuth, config.credentials().apiKey(), config.clock(), random,
                config.rateLimits(), config.nanoTime());
        this.javalin = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            // A connector of our own in place of Javalin's default: its backlog, and TLS when configured
            // (then nothing on the port answers plain HTTP).
            c.jetty.addConnector((server, http) -> {
                ServerConnector connector;
                if (tls == null) {
                    connector = new ServerConnector(server, -1, selectors(), new HttpConnectionFactory(http));
                } else {
                    // Clients that pin the certificate skip host names, so a request is not refused
                    // for naming a host the certificate does not (Jetty's SNI host check would).
                    http.addCustomizer(new SecureRequestCustomizer(false, false, -1, false));
                    SslContextFactory.Server ssl = new SslContextFactory.Server();
                    ssl.setKeyStore(tls.keyStore());
                    ssl.setKeyStorePassword(config.tls().password());
                    ssl.setCertAlias(tls.alias());
                    HttpConnectionFactory https = new HttpConnectionFactory(http);
                    connector = new ServerConnector(server, -1, selectors(), new SslConnectionFactory(ssl, https.getProtocol()),
                            https);
                }
                connector.setHost(config.host());
                connector.setPort(config.port());
                // Jetty's default backlog (50) overflows when a thousand clients reconnect at once after a
                // network blip: the kernel drops their handshakes and TCP retries them seconds later.
                connector.setAcceptQueueSize(ACCEPT_BACKLOG);
                return connector;
            });
            QueuedThreadPool pool = new QueuedThreadPool(200, 8, 60_000);
            pool.setName("signalbox-http");
            c.jetty.threadPool = pool;
            // The WebSocket endpoint in front of Javalin, on a handshake and frames of our own: neither
            // Javalin's routes (which copy each upgrade request's headers, cookies and servlet session
            // into every socket) nor Jetty's WebSocket stack (which keeps the upgrade request and its
            // HTTP connection for the socket's life, and hands every read to another thread). Javalin
            // puts its servlet context behind this handler.
            c.jetty.modifyServer(server -> server.setHandler(new WebSocketUpgrade(WEBSOCKET_PATH, endpoint)));
            c.jetty.modifyServletContextHandler(context -> httpSessions = context.getSessionHandler());
            rest.configure(c.routes);
        });
    }

    /**
     * Selector threads: one per processor on a single node, where they run the sockets' reads; in a
     * cluster, where the reads are handed to the pool, Jetty's own choice (-1).
     */
    private int selectors() {
        return config.clustered() ? -1 : SELECTORS;
    }

    /** How many HTTP sessions Jetty holds now; -1 when it cannot say. For tests. */
    long httpSessionCount() {
        SessionHandler handler = httpSessions;
        return handler != null && handler.getSessionCache() instanceof DefaultSessionCache cache
                ? cache.getSessionsCurrent() : -1;
    }

    /** Starts a server and returns once it listens. */
    public static SignalboxServer start(ServerConfig config) {
        SignalboxServer server = new SignalboxServer(config);
        if (server.backplane != null) {
            try {
                server.backplane.start(server.registry.cluster());
            } catch (RuntimeException e) {
                server.timers.shutdownNow();
                throw e;
            }
        }
        try {
            server.javalin.start();
        } catch (RuntimeException e) {
            if (server.backplane != null) server.backplane.close();
            throw e;
        }
        log.info("listening on {} (API key {})", server.uri(), config.credentials().apiKey());
        return server;
    }

    /** The port the server listens on (the one chosen when the config said 0). */
    public int port() {
        return javalin.port();
    }

    /**
     * The server's base URL, {@code http://HOST:PORT} (or {@code https://} when it serves TLS), as the
     * SDK and REST clients take it.
     */
    public URI uri() {
        String host = config.host();
        if (host.contains(":")) host = "[" + host + "]";
        return URI.create((config.secure() ? "https" : "http") + "://" + host + ":" + port());
    }

    /** The certificate this server shows clients, or null when it does not serve TLS. */
    public X509Certificate certificate() {
        return certificate;
    }

    public ServerConfig config() {
        return config;
    }

    public ApiCredentials credentials() {
        return config.credentials();
    }

    /** Mints and checks client tokens signed with this server's secret. */
    public Tokens tokens() {
        return tokens;
    }

    /** Mints the project JWTs that REST calls carry. */
    public ProjectAuth projectAuth() {
        return projectAuth;
    }

    /** A new session id of this server's API key. */
    public String createSessionId() {
        return SessionIds.create(config.credentials().apiKey(), config.clock().instant(), random);
    }

    /** How many connections are in sessions now. */
    public int connectionCount() {
        return registry.connectionCount();
    }

    /** This node's id in its cluster, or null when the server is a single node. */
    public String nodeId() {
        return backplane == null ? null : backplane.nodeId();
    }

    /** Whether a connection is in its reconnection window, its client away; for tests and tools. */
    public boolean isAway(String sessionId, String connectionId) {
        Peer peer = registry.find(sessionId, connectionId);
        return peer != null && peer.isAway();
    }

    /**
     * Stops the server: every socket is closed with 1001 (going away), so that clients treat it as a
     * lost link and try to resume, then the listener stops.
     */
    @Override
    public void close() {
        close(CloseCodes.GOING_AWAY, "server shutting down");
    }

    /**
     * Stops the server, closing every socket with {@code code}: {@link CloseCodes#GOING_AWAY} lets
     * clients try to resume; {@link CloseCodes#SESSION_ENDED} tells them the session is over.
     */
    public synchronized void close(int code, String reason) {
        if (closed) return;
        closed = true;
        endpoint.shutDown(code, reason);
        try {
            // Lets the close frames go out before Jetty stops.
            Thread.sleep(Duration.ofMillis(100));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        javalin.stop();
        if (backplane != null) backplane.close();
        timers.shutdownNow();
        try {
            timers.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("stopped");
    }
}
