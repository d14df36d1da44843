package io.signalbox.soak;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.signalbox.chaos.SignalTag;
import io.signalbox.protocol.Codec;
import io.signalbox.server.auth.ProjectAuth;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The REST API's signals of a soak run: {@code POST /v2/project/KEY/session/SID/signal} to everyone in
 * a session and {@code .../connection/CID/signal} to one, as a backend would send them, with a fresh
 * project JWT each.
 *
 * <p>Each session's REST signals are one stream: its calls are made one after another (the next once
 * the previous was answered), since two calls in flight at once have no order the server could keep.
 * Should a stream fall more than {@link #MAX_BACKLOG} calls behind (the server not keeping up), further
 * signals are not sent but counted as skipped, so that the backlog cannot grow without bound.
 */
final class RestSender implements AutoCloseable {
    /** The most calls one stream may have waiting or in flight. */
    static final int MAX_BACKLOG = 50;
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration AUTH_TTL = Duration.ofMinutes(3);

    private final URI base;
    private final String apiKey;
    private final ProjectAuth auth;
    private final Ledger ledger;
    private final List<String> sessionIds;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    /** Each session's last call, which the next one waits for; replaced by the sending thread. */
    private final CompletableFuture<?>[] tails;
    /** Each session's calls waiting or in flight. */
    private final AtomicInteger[] backlog;
    /** Signals not sent because their stream was too far behind. */
    private final AtomicLong skipped = new AtomicLong();

    /**
     * @param base       the server's base URL
     * @param apiKey     the project's API key
     * @param auth       mints the {@code X-OPENTOK-AUTH} JWTs
     * @param ledger     where sends are recorded
     * @param sessionIds the run's sessions, by index
     */
    RestSender(URI base, String apiKey, ProjectAuth auth, Ledger ledger, List<String> sessionIds) {
        this.base = Objects.requireNonNull(base, "base");
        this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
        this.auth = Objects.requireNonNull(auth, "auth");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.sessionIds = List.copyOf(sessionIds);
        this.tails = new CompletableFuture<?>[sessionIds.size()];
        this.backlog = new AtomicInteger[sessionIds.size()];
        for (int g = 0; g < tails.length; g++) {
            tails[g] = CompletableFuture.completedFuture(null);
            backlog[g] = new AtomicInteger();
        }
    }

    /**
     * Sends a signal into a session through the REST API, after the session's earlier ones. Called by
     * one thread at a time (the driver, then the run's own thread).
     *
     * @param target       the receiving client's index, or {@link Ledger#EVERYONE}
     * @param connectionId the receiving client's connection id, or null for everyone
     */
    void send(int session, String type, int target, String connectionId, String filler) {
        if (backlog[session].get() >= MAX_BACKLOG) {
            skipped.incrementAndGet();
            return;
        }
        SignalTag tag = ledger.open(ledger.restStream(session), target, false);
        String data = filler.isEmpty() ? tag.data() : tag.data() + " " + filler;
        HttpRequest request = request(session, type, data, connectionId);
        backlog[session].incrementAndGet();
        tails[session] = tails[session].thenCompose(previous -> http.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .handle((response, failure) -> {
                    backlog[session].decrementAndGet();
                    settle(tag, response, failure);
                    return null;
                });
    }

    private void settle(SignalTag tag, HttpResponse<String> response, Throwable failure) {
        if (failure != null) {
            Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
            // No answer: the server may or may not have routed it.
            ledger.settle(tag, Ledger.Outcome.UNKNOWN, "REST " + cause.getClass().getSimpleName());
        } else if (response.statusCode() == 204) {
            ledger.settle(tag, Ledger.Outcome.ACKNOWLEDGED, null);
        } else {
            ledger.settle(tag, Ledger.Outcome.FAILED, "REST HTTP " + response.statusCode());
        }
    }

    private HttpRequest request(int session, String type, String data, String connectionId) {
        String path = "/v2/project/" + apiKey + "/session/" + encode(sessionIds.get(session))
                + (connectionId == null ? "" : "/connection/" + encode(connectionId)) + "/signal";
        Map<String, String> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("data", data);
        String json;
        try {
            json = Codec.mapper().writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a signal body", e);
        }
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(CALL_TIMEOUT)
                .header(ProjectAuth.HEADER, auth.mint(AUTH_TTL))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    /** Signals not sent because their stream was too far behind. */
    long skipped() {
        return skipped.get();
    }

    /** Calls waiting or in flight, over all sessions. */
    int backlog() {
        int sum = 0;
        for (AtomicInteger b : backlog) sum += b.get();
        return sum;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
