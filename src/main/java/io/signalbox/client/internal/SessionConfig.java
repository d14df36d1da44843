package io.signalbox.client.internal;

import io.signalbox.client.SessionListener;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Everything a {@link RealSession} is built from, as {@link io.signalbox.client.Session.Builder}
 * gathered it.
 *
 * @param webSocketUris     the servers' WebSocket endpoints, at least one: connect tries the first, and
 *                          reconnection tries them in turn, starting with the one that was lost
 * @param sessionId         the session to join
 * @param listener          who hears about the session
 * @param clock             the time source
 * @param scheduler         where timers run
 * @param connectTimeout    how long a connect may take
 * @param disconnectTimeout how long disconnect waits for acknowledgements, and then for the close
 * @param transports        makes a link for each attempt to connect
 * @param backoff           the waits between reconnection attempts
 * @param maxQueuedSignals  how many signals may wait for a reconnection
 * @param deadLinkTimeout   how long a silent link is trusted
 * @param connectionData    connection data offered for a token that carries none, or null
 * @param trust             which servers to believe over TLS
 */
public record SessionConfig(List<URI> webSocketUris, String sessionId, SessionListener listener, Clock clock,
                            ScheduledExecutorService scheduler, Duration connectTimeout,
                            Duration disconnectTimeout, Transport.Factory transports, Backoff backoff,
                            int maxQueuedSignals, Duration deadLinkTimeout, String connectionData,
                            TlsTrust trust) {
    /** The path of the server's WebSocket endpoint, under its base URL. */
    public static final String WEBSOCKET_PATH = "/ws";

    /** Checks that nothing is missing. */
    public SessionConfig {
        webSocketUris = List.copyOf(webSocketUris);
        if (webSocketUris.isEmpty()) throw new IllegalArgumentException("at least one server is needed");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(scheduler, "scheduler");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(disconnectTimeout, "disconnectTimeout");
        Objects.requireNonNull(transports, "transports");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(deadLinkTimeout, "deadLinkTimeout");
        Objects.requireNonNull(trust, "trust");
    }

    /**
     * The WebSocket endpoint under a server's {@code http(s)} base URL: {@code http://host:port/base}
     * becomes {@code ws://host:port/base/ws}. Query and fragment are dropped.
     *
     * @throws IllegalArgumentException for another scheme or a URL without a host
     */
    public static URI webSocketUri(URI serverUrl) {
        String scheme = serverUrl.getScheme() == null ? "" : serverUrl.getScheme().toLowerCase(Locale.ROOT);
        String wsScheme = switch (scheme) {
            case "http" -> "ws";
            case "https" -> "wss";
            default -> throw new IllegalArgumentException(
                    "the server URL must be http or https, not '" + serverUrl + "'");
        };
        if (serverUrl.getHost() == null) {
            throw new IllegalArgumentException("the server URL has no host: '" + serverUrl + "'");
        }
        String path = serverUrl.getPath() == null ? "" : serverUrl.getPath();
        while (path.endsWith("/")) path = path.substring(0, path.length() - 1);
        try {
            return new URI(wsScheme, serverUrl.getUserInfo(), serverUrl.getHost(), serverUrl.getPort(),
                    path + WEBSOCKET_PATH, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("cannot make a WebSocket URL of '" + serverUrl + "'", e);
        }
    }

    /**
     * A scheduler for a session that was given none: one daemon thread, which ends when no timer is
     * pending (the last worker of a pool with a pending delayed task never times out), so nobody has to
     * shut it down.
     */
    public static ScheduledExecutorService defaultScheduler() {
        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("signalbox-session-timer").daemon().factory());
        scheduler.setKeepAliveTime(5, TimeUnit.SECONDS);
        scheduler.allowCoreThreadTimeOut(true);
        scheduler.setRemoveOnCancelPolicy(true);
        return scheduler;
    }

    /**
     * The production link: a Tyrus WebSocket client whose handshake gives up after {@code connectTimeout},
     * whose timers run on the session's {@code scheduler}, and that believes the servers {@code trust}
     * says over wss.
     */
    public static Transport.Factory webSocketTransport(Duration connectTimeout, ScheduledExecutorService scheduler,
            TlsTrust trust) {
        return TyrusTransport.factory(connectTimeout, scheduler, trust);
    }
}
