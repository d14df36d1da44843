package io.signalbox.server;

import io.signalbox.server.auth.ApiCredentials;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * How a {@link SignalboxServer} is set up. Start from {@link #defaults(ApiCredentials)} and change what
 * differs with the {@code with...} methods.
 *
 * @param host              the address to listen on; loopback unless the server is meant to be reached
 * @param port              the port, or 0 for any free one
 * @param credentials       the API key and secret that sign tokens and REST calls
 * @param reconnectWindow   how long a dropped connection is kept for its client to resume
 * @param heartbeat         how often clients ping; a link silent for two and a half beats is dead
 * @param authTimeout       how long a new socket may take to send {@code connect} or {@code resume}
 * @param maxQueuedFrames   a connection's outgoing queue bound in frames; over it the client is too slow
 * @param maxQueuedBytes    the same bound in bytes of text
 * @param replayMaxSignals  how many recent signals are kept per connection for a client that resumes
 * @param replayMaxBytes    the same bound in bytes of text
 * @param clock             the server's clock, for creation times and token expiry
 * @param tls               the certificate to serve HTTPS and WSS with, or null to serve plain HTTP and WS
 * @param rateLimits        how fast connections and REST callers may send signals
 * @param maxConnectionsPerSession the most connections one session may have (those away within their
 *                          reconnection window included); one more is refused at join
 * @param nanoTime          the monotonic time the rate limits are measured by, such as {@code System::nanoTime}
 * @param redis             the Redis that the nodes of a cluster share sessions through ({@code redis://HOST:PORT}),
 *                          or null for a single node keeping everything in memory
 * @param redisBacklog      how many signals for other nodes may wait while Redis is away; one more is refused
 */
public record ServerConfig(String host, int port, ApiCredentials credentials, Duration reconnectWindow,
                           Duration heartbeat, Duration authTimeout, int maxQueuedFrames, long maxQueuedBytes,
                           int replayMaxSignals, long replayMaxBytes, Clock clock,
                           ServerTls tls, RateLimits rateLimits, int maxConnectionsPerSession,
                           LongSupplier nanoTime, URI redis, int redisBacklog) {

    public static final Duration DEFAULT_RECONNECT_WINDOW = Duration.ofSeconds(60);
    public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(4);
    public static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(10);
    /** Generous for a chat; a meeting of a thousand people is not what Signalbox is for. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_SESSION = 1000;
    /** Signals for other nodes that may wait through a Redis outage: seconds of a busy node's traffic. */
    public static final int DEFAULT_REDIS_BACKLOG = 10_000;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be 0 to 65535, not " + port);
        Objects.requireNonNull(credentials, "credentials");
        requirePositive(reconnectWindow, "reconnectWindow");
        requirePositive(heartbeat, "heartbeat");
        requirePositive(authTimeout, "authTimeout");
        if (maxQueuedFrames < 1) throw new IllegalArgumentException("maxQueuedFrames must be positive");
        if (maxQueuedBytes < 1) throw new IllegalArgumentException("maxQueuedBytes must be positive");
        if (replayMaxSignals < 0) throw new IllegalArgumentException("replayMaxSignals must not be negative");
        if (replayMaxBytes < 0) throw new IllegalArgumentException("replayMaxBytes must not be negative");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(rateLimits, "rateLimits");
        if (maxConnectionsPerSession < 1) {
            throw new IllegalArgumentException("maxConnectionsPerSession must be at least 1, not " + maxConnectionsPerSession);
        }
        Objects.requireNonNull(nanoTime, "nanoTime");
        if (redis != null && !"redis".equals(redis.getScheme()) && !"rediss".equals(redis.getScheme())) {
            throw new IllegalArgumentException("the Redis URI must be redis://HOST:PORT (or rediss:// for TLS), not " + redis);
        }
        if (redis != null && redis.getHost() == null) {
            throw new IllegalArgumentException("the Redis URI names no host: " + redis);
        }
        if (redisBacklog < 1) throw new IllegalArgumentException("redisBacklog must be positive, not " + redisBacklog);
    }

    /** Loopback, any free port, the default windows, bounds and limits, the system clock, a single node. */
    public static ServerConfig defaults(ApiCredentials credentials) {
        return new ServerConfig("127.0.0.1", 0, credentials, DEFAULT_RECONNECT_WINDOW, DEFAULT_HEARTBEAT,
                DEFAULT_AUTH_TIMEOUT, 16_384, 16L * 1024 * 1024, 1024, 1024L * 1024, Clock.systemUTC(), null,
                RateLimits.defaults(), DEFAULT_MAX_CONNECTIONS_PER_SESSION, System::nanoTime, null,
                DEFAULT_REDIS_BACKLOG);
    }

    public ServerConfig withHost(String host) {
        return new ServerConfig(host, port, credentials, reconnectWindow, heartbeat, authTimeout, maxQueuedFrames, maxQueuedBytes, replayMaxSignals, replayMaxBytes, clock, tls, rateLimits, maxConnectionsPerSession, nanoTime, redis, redisBacklog);
    }

    public ServerConfig withPort(int port) {
        return new ServerConfig(host, port, credentials, reconnectWindow, heartbeat, authTimeout, maxQueuedFrames, maxQueuedBytes, replayMaxSignals, replayMaxBytes, clock, tls, rateLimits, maxConnectionsPerSession, nanoTime, redis, redisBacklog);
    }

    public ServerConfig withReconnectWindow(Duration reconnectWindow) {
        return new ServerConfig(host, port, credentials, reconnectWindow, heartbeat, authTimeout, maxQueuedFrames, maxQueuedBytes, replayMaxSignals, replayMaxBytes, clock, tls, rateLimits, maxConnectionsPerSession, nanoTime, redis, redisBacklog);
    }

    public ServerConfig withHeartbeat(Duration heartbeat) {
        return new ServerConfig(host, port, credentials, reconnectWindow, heartbeat, authTimeout, maxQueuedFrames, maxQueuedBytes, replayMaxSignals, replayMaxBytes, clock, tls, rateLimits, maxConnectionsPerSession, nanoTime, redis, redisBacklog);
    }

    public ServerConfig withAuthTimeout(Duration authTimeout) {
        return new ServerConfig(host, port, credentials, reconnectWindow, heartbeat, authTimeout, maxQueuedFrames, maxQueuedBytes, replayMaxSignals, replayMaxBytes, clock, tls, rateLimits, maxConnectionsPerSession, nanoTime, redis, redisBacklog);
    }

    public ServerConfig withQueueBounds(int maxQueuedFrames, long maxQueuedBytes) {
        return new ServerConfig(host, port, credentials, reconnectWindow, heartbeat, authTimeout, maxQueuedFrames, maxQueuedBytes, replayMaxSignals, replayMaxBytes, clock, tls, rateLimits, maxConnectionsPerSession, nanoTime, redis, redisBacklog);
    }

    public ServerConfig withReplayBounds(int replayMaxSignals, long replayMaxBytes) {
        return new ServerConfig(host, port, credentials, reconnectWindow, heartbeat, authTimeout, maxQueuedFrames, maxQueuedBytes, replayMaxSignals, replayMaxBytes, clock, tls, rateLimits, maxConnectionsPerSession, nanoTime, redis, redisBacklog);
    }

    public ServerConfig withClock(Clock clock) {
        return new ServerConfig(host, port, credentials, reconnectWindow, heartbeat, authTimeout, maxQueuedFrames, maxQueuedBytes, replayMaxSignals, replayMaxBytes, clock, tls, rateLimits, maxConnectionsPerSession, nanoTime, redis, redisBacklog);
    }

    /** Serves HTTPS and WSS with this certificate instead of plain HTTP and WS; null for plain. */
    public ServerConfig withTls(ServerTls tls) {
        return new ServerConfig(host, port, credentials, reconnectWindow, heartbeat, authTimeout, maxQueuedFrames, maxQueuedBytes, replayMaxSignals, replayMaxBytes, clock, tls, rateLimits, maxConnectionsPerSession, nanoTime, redis, redisBacklog);
    }

    /** How fast clients may send; {@link RateLimits#unlimited()} for no limit (load tests, chaos runs). */
    public ServerConfig withRateLimits(RateLimits rateLimits) {
        return new ServerConfig(host, port, credentials, reconnectWindow, heartbeat, authTimeout, maxQueuedFrames, maxQueuedBytes, replayMaxSignals, replayMaxBytes, clock, tls, rateLimits, maxConnectionsPerSession, nanoTime, redis, redisBacklog);
    }

    /** The most connections one session may have. */
    public ServerConfig withMaxConnectionsPerSession(int maxConnectionsPerSession) {
        return new ServerConfig(host, port, credentials, reconnectWindow, heartbeat, authTimeout, maxQueuedFrames, maxQueuedBytes, replayMaxSignals, replayMaxBytes, clock, tls, rateLimits, maxConnectionsPerSession, nanoTime, redis, redisBacklog);
    }

    /** The monotonic time source the rate limits are measured by; tests give a fake one. */
    public ServerConfig withNanoTime(LongSupplier nanoTime) {
        return new ServerConfig(host, port, credentials, reconnectWindow, heartbeat, authTimeout, maxQueuedFrames, maxQueuedBytes, replayMaxSignals, replayMaxBytes, clock, tls, rateLimits, maxConnectionsPerSession, nanoTime, redis, redisBacklog);
    }

    /**
     * Joins the cluster of nodes that share sessions through this Redis ({@code redis://HOST:PORT});
     * null for a single node.
     */
    public ServerConfig withRedis(URI redis) {
        return new ServerConfig(host, port, credentials, reconnectWindow, heartbeat, authTimeout, maxQueuedFrames, maxQueuedBytes, replayMaxSignals, replayMaxBytes, clock, tls, rateLimits, maxConnectionsPerSession, nanoTime, redis, redisBacklog);
    }

    /** How many signals for other nodes may wait while Redis is away. */
    public ServerConfig withRedisBacklog(int redisBacklog) {
        return new ServerConfig(host, port, credentials, reconnectWindow, heartbeat, authTimeout, maxQueuedFrames, maxQueuedBytes, replayMaxSignals, replayMaxBytes, clock, tls, rateLimits, maxConnectionsPerSession, nanoTime, redis, redisBacklog);
    }

    /** Whether the server is one node of a cluster sharing sessions through Redis. */
    public boolean clustered() {
        return redis != null;
    }

    /** Whether the server serves HTTPS and WSS. */
    public boolean secure() {
        return tls != null;
    }

    /** How long a link may stay silent before the server counts it dead. */
    public Duration idleTimeout() {
        return heartbeat.multipliedBy(5).dividedBy(2);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive");
    }
}
