package io.signalbox.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.signalbox.protocol.CloseCodes;
import io.signalbox.protocol.Codec;
import io.signalbox.protocol.ConnectionInfo;
import io.signalbox.protocol.Reason;
import io.signalbox.server.auth.ProjectAuth;
import io.signalbox.server.auth.SessionIds;
import io.signalbox.server.auth.TokenException;
import io.signalbox.server.redis.Backplane;
import io.signalbox.server.redis.BackplaneUnavailableException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;
import io.signalbox.protocol.TokenBucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The REST API, compatible with OpenTok's for what Signalbox does: creating sessions, signaling,
 * listing and force-disconnecting connections. Every call but {@code /health} carries a project JWT in
 * {@code X-OPENTOK-AUTH}. Errors are JSON objects {@code {"code": STATUS, "message": "..."}}.
 */
final class RestApi {
    private static final Logger log = LoggerFactory.getLogger(RestApi.class);
    private static final String AUTH_HEADER = "X-OPENTOK-AUTH";
    /** How long a REST signal on a node of a cluster waits for Redis to confirm it. */
    private static final java.time.Duration REDIS_CONFIRMATION = java.time.Duration.ofSeconds(2);
    private static final DateTimeFormatter CREATE_DT =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss zzz yyyy", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String PROJECT = "/v2/project/{apiKey}/session/{sessionId}";

    private final SessionRegistry registry;
    private final ProjectAuth projectAuth;
    private final String apiKey;
    private final Clock clock;
    private final RandomGenerator random;
    private final long startedAt;
    private final ObjectMapper json = Codec.mapper();
    /** The REST signals of this server's API key (it has one), or null when they are not limited. */
    private final TokenBucket signals;
    /** REST signals per second per API key, for the words of a 429. */
    private final long restRate;

    RestApi(SessionRegistry registry, ProjectAuth projectAuth, String apiKey, Clock clock, RandomGenerator random,
            RateLimits limits, LongSupplier nanoTime) {
        this.registry = registry;
        this.restRate = limits.restSignalsPerSecond();
        this.signals = limits.restSignalsPerSecond() > 0
                ? TokenBucket.perSecond(limits.restSignalsPerSecond(), limits.restSignalBurst(), nanoTime) : null;
        this.projectAuth = projectAuth;
        this.apiKey = apiKey;
        this.clock = clock;
        this.random = random;
        this.startedAt = clock.millis();
    }

    void configure(RoutesConfig routes) {
        routes.get("/health", this::health);
        routes.post("/session/create", this::createSession);
        routes.post(PROJECT + "/signal", this::signalAll);
        routes.post(PROJECT + "/connection/{connectionId}/signal", this::signalOne);
        routes.get(PROJECT + "/connection", this::listConnections);
        routes.delete(PROJECT + "/connection/{connectionId}", this::forceDisconnect);
        // In a cluster: Redis is away and this call needs it, or the signal cannot wait for it.
        routes.exception(BacklogFullException.class, (e, ctx) -> error(ctx, 503, e.getMessage(), 0));
        routes.exception(BackplaneUnavailableException.class, (e, ctx) -> error(ctx, 503, e.getMessage(), 0));
        routes.exception(ApiException.class, (e, ctx) -> {
            if (e.retryAfterMs > 0) {
                // HTTP counts Retry-After in whole seconds; the body has the milliseconds.
                ctx.header("Retry-After", Long.toString((e.retryAfterMs + 999) / 1000));
            }
            error(ctx, e.status, e.getMessage(), e.retryAfterMs);
        });
        // What Javalin answers itself (no such path, a method not allowed) gets the same JSON shape.
        routes.exception(io.javalin.http.HttpResponseException.class,
                (e, ctx) -> error(ctx, e.getStatus(), e.getMessage(), 0));
    }

    private void health(Context ctx) {
        Map<String, Object> body = new LinkedHashMap<>();
        Backplane backplane = registry.cluster() == null ? null : registry.cluster().backplane();
        boolean healthy = backplane == null || backplane.available();
        body.put("status", healthy ? "ok" : "redis unavailable");
        body.put("sessions", registry.sessionCount());
        body.put("connections", registry.connectionCount());
        body.put("uptimeSeconds", (clock.millis() - startedAt) / 1000);
        body.put("jvm", JvmVitals.read());
        if (backplane != null) {
            // Answers on this node go on; what concerns the other nodes waits for Redis.
            body.put("node", backplane.nodeId());
            body.put("redis", backplane.available() ? "up" : "down");
            body.put("backlog", backplane.backlog());
        }
        respond(ctx, healthy ? 200 : 503, body);
    }

    private void createSession(Context ctx) {
        authorize(ctx);
        Instant now = clock.instant();
        String sessionId = SessionIds.create(apiKey, now, random);
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("session_id", sessionId);
        session.put("project_id", apiKey);
        session.put("partner_id", apiKey);
        session.put("create_dt", CREATE_DT.format(now));
        session.put("media_server_url", "");
        log.info("REST: created session {}", sessionId);
        respond(ctx, 200, List.of(session));
    }

    private void signalAll(Context ctx) {
        String sessionId = authorizeSession(ctx);
        signal(ctx, sessionId, null);
    }

    private void signalOne(Context ctx) {
        String sessionId = authorizeSession(ctx);
        signal(ctx, sessionId, ctx.pathParam("connectionId"));
    }

    private void signal(Context ctx, String sessionId, String connectionId) {
        SignalRequest signal = SignalRequest.parse(ctx.body(), json);
        if (signals != null) {
            long wait = signals.tryTake(1);
            if (wait > 0) {
                long retryAfterMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait + 999_999));
                log.info("REST: refused a signal to session {}: over {} a second", sessionId, restRate);
                throw new ApiException(429, "too many signals: API key " + apiKey + " may send "
                        + restRate + " signals a second through the REST API; send again in "
                        + retryAfterMs + " ms", retryAfterMs);
            }
        }
        if (!registry.route(sessionId, null, 0, connectionId, signal.type(), signal.data())) {
            throw new ApiException(404, connectionId == null
                    ? "no one is connected to session " + sessionId
                    : "connection " + connectionId + " is not in session " + sessionId);
        }
        // In a cluster, 204 once the other nodes can have it: Redis holds it, should this node die now.
        registry.awaitWritten(REDIS_CONFIRMATION);
        ctx.status(204);
    }

    private void listConnections(Context ctx) {
        String sessionId = authorizeSession(ctx);
        List<Map<String, Object>> items = new ArrayList<>();
        for (ConnectionInfo connection : registry.connectionInfos(sessionId)) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("connectionId", connection.id());
            item.put("connectionState", "Connected");
            item.put("createdAt", connection.createdAt());
            items.add(item);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("count", items.size());
        body.put("projectId", apiKey);
        body.put("sessionId", sessionId);
        body.put("items", items);
        respond(ctx, 200, body);
    }

    private void forceDisconnect(Context ctx) {
        String sessionId = authorizeSession(ctx);
        String connectionId = ctx.pathParam("connectionId");
        Peer peer = registry.find(sessionId, connectionId);
        if (peer == null && registry.forceDisconnectElsewhere(sessionId, connectionId)) {
            log.info("REST: asked the node of {} in session {} to force disconnect it", connectionId, sessionId);
            ctx.status(204);
            return;
        }
        if (peer == null || !registry.leave(peer, Reason.FORCE_DISCONNECTED)) {
            throw new ApiException(404, "connection " + connectionId + " is not in session " + sessionId);
        }
        peer.close(CloseCodes.FORCE_DISCONNECTED, "force disconnected by the server");
        log.info("REST: force disconnected {} from session {}", connectionId, sessionId);
        ctx.status(204);
    }

    private void authorize(Context ctx) {
        try {
            projectAuth.verify(ctx.header(AUTH_HEADER));
        } catch (TokenException e) {
            log.info("REST: refused {} {}: {}", ctx.method(), ctx.path(), e.getMessage());
            throw new ApiException(403, e.getMessage());
        }
    }

    /** Checks the caller, the path's API key, and the session id's form; returns the session id. */
    private String authorizeSession(Context ctx) {
        authorize(ctx);
        String pathKey = ctx.pathParam("apiKey");
        if (!apiKey.equals(pathKey)) throw new ApiException(403, "API key " + pathKey + " is not this server's");
        String sessionId = ctx.pathParam("sessionId");
        if (!SessionIds.belongsTo(sessionId, apiKey)) {
            throw new ApiException(400, "'" + sessionId + "' is not a session id of API key " + apiKey);
        }
        return sessionId;
    }

    private void error(Context ctx, int status, String message, long retryAfterMs) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", status);
        body.put("message", message);
        if (retryAfterMs > 0) body.put("retryAfterMs", retryAfterMs);
        respond(ctx, status, body);
    }

    private void respond(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(json.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
