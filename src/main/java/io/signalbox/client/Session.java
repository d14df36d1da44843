package io.signalbox.client;

import io.signalbox.client.internal.Backoff;
import io.signalbox.client.internal.RealSession;
import io.signalbox.client.internal.SessionConfig;
import io.signalbox.client.internal.TlsTrust;
import io.signalbox.client.internal.Transport;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A client's membership of one signaling session: connect with a token, send signals to everyone or
 * to one connection, hear about signals and other connections through a {@link SessionListener}.
 *
 * <pre>{@code
 * Session session = Session.builder(URI.create("https://signal.example.com"), sessionId)
 *         .listener(listener)
 *         .build();
 * session.connect(token).join();
 * session.sendSignal("chat", "Hello");
 * }</pre>
 *
 * <h2>Failures</h2>
 * No method throws for a failure of the network or the server, nor for an invalid or ill-timed
 * signal: {@link #connect}, the sends and {@link #disconnect} return a future that fails with a
 * {@link SignalingException}. A send's future completes when the server acknowledges the signal; an
 * invalid signal fails at once, before anything is sent, and so does a send while not connected.
 * Every future completes, one way or the other.
 *
 * <h2>Threading</h2>
 * All methods are thread-safe and return at once; none blocks on the network. Signals sent from one
 * thread go out in the order they were sent. The listener is called on the session's event thread
 * ({@code signalbox-session-events}), one call at a time and in order, and the SDK completes the
 * futures it returns on that same thread (except those that fail at once, which are returned already
 * failed), so callbacks attached to them run there unless they ask for an executor.
 *
 * <p>A session may connect again after it is disconnected; it is then a new connection, with a new
 * connection id.
 */
public interface Session {

    /**
     * A builder for a session.
     *
     * @param serverUrl the server's {@code http} or {@code https} base URL; the SDK connects to
     *                  {@code ws(s)://host:port/ws} under it (a path in the URL is kept in front of
     *                  {@code /ws}). Over {@code https} it believes the certificates the Java runtime's
     *                  default trust store vouches for, for the URL's host, unless
     *                  {@link Builder#trustedCertificate} names one certificate to trust instead
     * @param sessionId the id of the session to join
     * @throws IllegalArgumentException when the URL is not {@code http} or {@code https} with a host
     */
    static Builder builder(URI serverUrl, String sessionId) {
        return new Builder(List.of(Objects.requireNonNull(serverUrl, "serverUrl")), sessionId);
    }

    /**
     * A builder for a session that may be served by any of several servers, the nodes of one cluster
     * (see the server's {@code --redis}). {@link #connect} goes to the first; after a lost link each
     * reconnection attempt goes to the next in turn, starting with the server that was lost (a blip
     * is most often over by the first retry), so a client whose node died resumes on another node,
     * with the same connection id, within the reconnection window. One URL behind a load balancer
     * works as well: pass {@link #builder(URI, String)} that one URL.
     *
     * @param serverUrls the servers' {@code http} or {@code https} base URLs, as for
     *                   {@link #builder(URI, String)}; at least one, all with the same scheme
     * @param sessionId  the id of the session to join
     * @throws IllegalArgumentException when the list is empty, a URL is not {@code http} or
     *                                  {@code https} with a host, or the URLs mix {@code http} and {@code https}
     */
    static Builder builder(List<URI> serverUrls, String sessionId) {
        return new Builder(serverUrls, sessionId);
    }

    /** The id of the session this client joins. */
    String getSessionId();

    /**
     * Joins the session with a token. The listener hears {@link SessionListener#onConnected}, then
     * {@link SessionListener#onConnectionCreated} for every other connection already in the session,
     * and then the future completes, so that {@link #getConnections()} holds everyone when it does.
     *
     * <p>The future fails with {@link ErrorCode#AUTHENTICATION_FAILED},
     * {@link ErrorCode#INVALID_SESSION_ID}, {@link ErrorCode#UNSUPPORTED_PROTOCOL} and the like when
     * the server refuses, with the server's words; with {@link ErrorCode#CONNECT_FAILED} when the
     * server cannot be reached or does not answer within the connect timeout; with
     * {@link ErrorCode#CERTIFICATE_NOT_TRUSTED} when an {@code https} server's certificate is refused
     * (not vouched for, for another host, or not the {@linkplain Builder#trustedCertificate pinned} one); with
     * {@link ErrorCode#ILLEGAL_STATE} when the session is already connecting, connected or
     * disconnecting; and with {@link ErrorCode#NOT_CONNECTED} when {@link #disconnect()} is called
     * before it completes. A failed connect is reported through this future only, not the listener.
     *
     * @param token a token for this session, from the server's API
     * @throws NullPointerException when {@code token} is null
     */
    CompletableFuture<Void> connect(String token);

    /**
     * Sends a signal to everyone in the session, this client included, with the
     * {@linkplain SignalOptions#defaults() default options}.
     *
     * @param type the signal's type: at most 128 characters of {@code A-Z a-z 0-9 - _ ~}, possibly empty
     * @param data the signal's data: at most 8192 bytes of UTF-8, possibly empty
     * @return a future that completes when the server has accepted and routed the signal, or fails
     *         with {@link ErrorCode#SIGNAL_TYPE_TOO_LONG}, {@link ErrorCode#INVALID_SIGNAL_TYPE},
     *         {@link ErrorCode#SIGNAL_DATA_TOO_LONG}, {@link ErrorCode#INVALID_SIGNAL_DATA} (checked in
     *         that order, before anything is sent), {@link ErrorCode#NOT_CONNECTED}, or the error the
     *         server answered with
     */
    CompletableFuture<Void> sendSignal(String type, String data);

    /**
     * Sends a signal to everyone in the session, this client included.
     *
     * @see #sendSignal(String, String)
     */
    CompletableFuture<Void> sendSignal(String type, String data, SignalOptions options);

    /**
     * Sends a signal to one connection only, with the {@linkplain SignalOptions#defaults() default
     * options}.
     *
     * @return as for {@link #sendSignal(String, String)}; also fails with
     *         {@link ErrorCode#CONNECTION_NOT_FOUND} when the connection is {@code null} or not in the
     *         session
     */
    CompletableFuture<Void> sendSignalToConnection(String type, String data, Connection connection);

    /**
     * Sends a signal to one connection only.
     *
     * @see #sendSignalToConnection(String, String, Connection)
     */
    CompletableFuture<Void> sendSignalToConnection(String type, String data, Connection connection,
                                                   SignalOptions options);

    /** This client's own connection, or {@code null} when not connected. */
    Connection getConnection();

    /**
     * Everyone now in the session, this client included (first), as an unmodifiable snapshot; empty
     * when not connected.
     */
    List<Connection> getConnections();

    /** The signals waiting for the link to be restored, oldest first; empty unless reconnecting. */
    List<QueuedSignal> getQueuedSignals();

    /**
     * Takes a signal out of the queue before it is sent: its future fails with
     * {@link ErrorCode#CANCELLED}.
     *
     * @return false when it is no longer queued (already sent, failed or cancelled)
     */
    boolean cancelQueuedSignal(QueuedSignal signal);

    /** Faults on demand for this session's link, for test tools and QA. */
    FaultInjector faults();

    /**
     * Why the last disconnection happened, in the words of the server (for a force disconnect or a
     * session ended by the server, the reason it gave) or a description of the network failure;
     * {@code null} after a {@link #disconnect()} of this client's own, before any disconnection, and
     * from the next {@link #connect} on. Set before {@link SessionListener#onDisconnected} is called,
     * so the listener may read it there.
     */
    String getDisconnectMessage();

    /**
     * Leaves the session. Waits briefly (the builder's {@linkplain Builder#disconnectTimeout
     * disconnect timeout}) for the server to acknowledge the signals already sent, fails the rest
     * with {@link ErrorCode#NOT_CONNECTED}, tells the server and closes the link. The listener hears
     * {@link SessionListener#onDisconnected} with {@link DisconnectReason#CLIENT_DISCONNECTED} once,
     * and then the future completes.
     *
     * <p>Idempotent: while disconnecting it returns the same future, and when not connected a
     * completed one. While connecting it abandons the attempt: the connect future fails with
     * {@link ErrorCode#NOT_CONNECTED}, no {@code onDisconnected} is reported (there was no
     * {@code onConnected}), and the returned future completes after the connect future fails.
     */
    CompletableFuture<Void> disconnect();

    /** Builds a {@link Session}. Not thread-safe; build, then share the session. */
    final class Builder {
        /** Where the servers are, validated, at least one; set by the constructor. */
        private final List<URI> webSocketUris;
        /** The session to join; set by the constructor. */
        private final String sessionId;
        /** Who hears about the session; replaced by {@link #listener}. */
        private SessionListener listener = new SessionListener() {};
        /** The time source; replaced by {@link #clock}. */
        private Clock clock = Clock.systemUTC();
        /** Where timers run, or null for one the session makes; replaced by {@link #scheduler}. */
        private ScheduledExecutorService scheduler;
        /** How long a connect may take; replaced by {@link #connectTimeout}. */
        private Duration connectTimeout = Duration.ofSeconds(10);
        /** How long disconnect() waits, per step; replaced by {@link #disconnectTimeout}. */
        private Duration disconnectTimeout = Duration.ofSeconds(2);
        /** Makes the links, or null for the WebSocket one; replaced by {@link #transportFactory}. */
        private Transport.Factory transportFactory;
        /** The bound of the first reconnection wait; replaced by {@link #reconnectBackoff}. */
        private Duration backoffFirst = Duration.ofMillis(250);
        /** The bound of any reconnection wait; replaced by {@link #reconnectBackoff}. */
        private Duration backoffCap = Duration.ofSeconds(2);
        /** Where backoff jitter comes from; replaced by {@link #random}. */
        private RandomGenerator random;
        /** How many signals may wait for a reconnection; replaced by {@link #maxQueuedSignals}. */
        private int maxQueuedSignals = 1000;
        /** How long a silent link is trusted; replaced by {@link #deadLinkTimeout}. */
        private Duration deadLinkTimeout = Duration.ofSeconds(10);
        /** Connection data offered for a token that carries none; replaced by {@link #connectionData}. */
        private String connectionData;
        /** The one certificate to trust over https, or null for the default trust; replaced by {@link #trustedCertificate}. */
        private CertificateFingerprint trustedCertificate;

        private Builder(List<URI> serverUrls, String sessionId) {
            Objects.requireNonNull(serverUrls, "serverUrls");
            if (serverUrls.isEmpty()) throw new IllegalArgumentException("at least one server URL is needed");
            this.webSocketUris = serverUrls.stream()
                    .map(url -> SessionConfig.webSocketUri(Objects.requireNonNull(url, "a server URL")))
                    .toList();
            if (webSocketUris.stream().map(URI::getScheme).distinct().count() > 1) {
                throw new IllegalArgumentException("the server URLs mix http and https: " + serverUrls);
            }
            this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        }

        /** Who hears about the session; by default nobody. */
        public Builder listener(SessionListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The time source, for the heartbeat's judgement of a silent link; by default the system's. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where the session runs its timers (connect timeout, heartbeat, disconnect, and those of its
         * WebSocket client). By default the session makes its own, on a daemon thread that ends when no
         * timer is pending. A scheduler passed here is used, never shut down; a process with many
         * sessions should pass them one to share.
         */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * How long {@link Session#connect} waits for the server to answer before failing with
         * {@link ErrorCode#CONNECT_FAILED}; 10 seconds by default. Each reconnection attempt gets this
         * long too, but at most 3 seconds, so that a stalled attempt does not eat the window.
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How long {@link Session#disconnect} waits for the acknowledgement of signals already sent,
         * and then again for the server to close the link; 2 seconds by default.
         */
        public Builder disconnectTimeout(Duration disconnectTimeout) {
            this.disconnectTimeout = positive(disconnectTimeout, "disconnectTimeout");
            return this;
        }

        /**
         * The reconnection backoff: the n-th retry after a drop waits a random time up to
         * {@code min(cap, first * 2^n)} (exponential backoff with full jitter). By default
         * {@code first} is 250 ms and {@code cap} 2 s: after a blip, a person waits at most about two
         * seconds for the app to try again, and a thousand clients that lost one server at once come back
         * spread over those two seconds rather than all in the same instant.
         */
        public Builder reconnectBackoff(Duration first, Duration cap) {
            positive(first, "first");
            positive(cap, "cap");
            if (cap.compareTo(first) < 0) throw new IllegalArgumentException("cap must be at least first");
            this.backoffFirst = first;
            this.backoffCap = cap;
            return this;
        }

        /** Where the backoff's jitter comes from; by default a new {@link java.util.SplittableRandom}. */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * How many signals may wait in the queue while reconnecting; 1000 by default. One more fails
         * at once with {@link ErrorCode#QUEUE_FULL}.
         */
        public Builder maxQueuedSignals(int maxQueuedSignals) {
            if (maxQueuedSignals < 0) throw new IllegalArgumentException("maxQueuedSignals must not be negative");
            this.maxQueuedSignals = maxQueuedSignals;
            return this;
        }

        /**
         * How long the link may stay silent (no frame at all, heartbeats included) before the session
         * takes it for dead and reconnects; 10 seconds by default.
         */
        public Builder deadLinkTimeout(Duration deadLinkTimeout) {
            this.deadLinkTimeout = positive(deadLinkTimeout, "deadLinkTimeout");
            return this;
        }

        /**
         * Connection data this client offers, such as its display name ({@code name=Ada}), used only
         * when its token carries none: data in the token is the host's word and always wins. At most
         * 1000 characters.
         */
        public Builder connectionData(String connectionData) {
            if (connectionData != null && connectionData.length() > 1000) {
                throw new IllegalArgumentException("connectionData must be at most 1000 characters");
            }
            this.connectionData = connectionData;
            return this;
        }

        /**
         * Trusts exactly one certificate for this {@code https} server, by its SHA-256 fingerprint, for a
         * server with a self-signed certificate (a desktop app hosting on the local network, say). The
         * server must show that very certificate; no other is accepted, whoever vouches for it, and the
         * host name is not checked, since the fingerprint names the certificate itself. A server showing
         * another fails {@link Session#connect} with {@link ErrorCode#CERTIFICATE_NOT_TRUSTED}, and a
         * session that was connected gives up reconnecting to it at once.
         *
         * <p>By default, and after {@code trustedCertificate(null)}, the session trusts what the Java
         * runtime's default trust store vouches for ({@code javax.net.ssl.trustStore}, else the JDK's CA
         * certificates), with host names checked.
         *
         * @param fingerprint 64 hex digits, colons between pairs optional, any case; or null
         * @throws IllegalArgumentException when it is not a SHA-256 fingerprint
         */
        public Builder trustedCertificate(String fingerprint) {
            this.trustedCertificate = fingerprint == null ? null : CertificateFingerprint.parse(fingerprint);
            return this;
        }

        /** Internal: replaces the WebSocket link, for tests and fault injection. */
        Builder transportFactory(Transport.Factory transportFactory) {
            this.transportFactory = Objects.requireNonNull(transportFactory, "transportFactory");
            return this;
        }

        /**
         * The session, not yet connected.
         *
         * @throws IllegalArgumentException when a certificate is trusted for a plain {@code http} URL,
         *                                  which has none: the link would not be what the caller meant
         */
        public Session build() {
            if (trustedCertificate != null && !"wss".equals(webSocketUris.getFirst().getScheme())) {
                throw new IllegalArgumentException("a trusted certificate is for an https server, and "
                        + webSocketUris.getFirst() + " is not encrypted");
            }
            TlsTrust trust = trustedCertificate == null ? TlsTrust.systemDefault() : TlsTrust.pinned(trustedCertificate);
            ScheduledExecutorService timers = scheduler != null ? scheduler : SessionConfig.defaultScheduler();
            return new RealSession(new SessionConfig(webSocketUris, sessionId, listener, clock, timers,
                    connectTimeout, disconnectTimeout,
                    transportFactory != null ? transportFactory
                            : SessionConfig.webSocketTransport(connectTimeout, timers, trust),
                    new Backoff(backoffFirst, backoffCap, random != null ? random : new SplittableRandom()),
                    maxQueuedSignals, deadLinkTimeout, connectionData, trust));
        }

        private static Duration positive(Duration duration, String name) {
            Objects.requireNonNull(duration, name);
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + duration);
            }
            return duration;
        }
    }
}
