package io.signalbox.client;

import static io.signalbox.client.SessionFixture.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signalbox.chaos.FaultProxy;
import io.signalbox.server.RateLimits;
import io.signalbox.server.ServerConfig;
import io.signalbox.server.SignalboxServer;
import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.Role;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The rate limits and the session cap as the SDK meets them, against the real server on a free
 * loopback port: the errors a caller sees, a flooding close, and the queue after a reconnection that
 * holds more signals than the rate lets through at once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RateLimitSessionTest {
    private static final ApiCredentials CREDENTIALS =
            ApiCredentials.of("46112233", "5f1a0c9d3e7b24a68c0d1e2f3a4b5c6d7e8f9012");
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long MS = 1_000_000L;

    /** The server's rate-limit time, for the tests that freeze it; only the test moves it. */
    private final AtomicLong nanos = new AtomicLong(1_000_000 * MS);
    /** Every session a test built, disconnected after it. */
    private final List<Session> sessions = new ArrayList<>();
    /** The server of the test; set by start(). */
    private SignalboxServer server;
    /** The session everyone joins; set by start(). */
    private String sessionId;
    /** The relay in front of the server, for the tests that drop a link; null otherwise. */
    private FaultProxy proxy;

    @AfterEach
    void tearDown() throws Exception {
        CompletableFuture.allOf(sessions.stream().map(Session::disconnect).toArray(CompletableFuture[]::new))
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (proxy != null) proxy.close();
        if (server != null) server.close();
    }

    private void start(UnaryOperator<ServerConfig> tweak) {
        server = SignalboxServer.start(tweak.apply(ServerConfig.defaults(CREDENTIALS)));
        sessionId = server.createSessionId();
    }

    private Session build(URI uri, RecordingListener hears) {
        Session session = Session.builder(uri, sessionId)
                .listener(hears)
                .connectTimeout(WAIT)
                .disconnectTimeout(Duration.ofMillis(500))
                .reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(250))
                .build();
        sessions.add(session);
        return session;
    }

    private String token(String name) {
        return server.tokens().mintJwt(sessionId, Role.PUBLISHER, "name=" + name, Duration.ofHours(1));
    }

    private Session join(URI uri, RecordingListener hears, String name) {
        Session session = build(uri, hears);
        assertThat(session.connect(token(name))).succeedsWithin(WAIT);
        hears.assertConnected();
        return session;
    }

    @Test
    @DisplayName("a send over the rate fails with RATE_LIMITED and when to retry; the session stays connected and a send after the wait goes")
    void overTheRate() {
        start(config -> config.withNanoTime(nanos::get).withRateLimits(RateLimits.defaults().withSignals(2, 1)));
        RecordingListener hears = new RecordingListener(WAIT);
        Session a = join(server.uri(), hears, "a");

        assertThat(a.sendSignal("chat", "one")).succeedsWithin(WAIT);
        SignalingException refused = failure(a.sendSignal("chat", "two"), ErrorCode.RATE_LIMITED);
        assertThat(refused.retryAfter()).hasValue(Duration.ofMillis(500));
        assertThat(refused.getMessage()).contains("2 signals a second").contains("500 ms");

        nanos.addAndGet(500 * MS);
        assertThat(a.sendSignal("chat", "three")).succeedsWithin(WAIT);
        hears.assertSignal("chat", "one", a.getConnection().getConnectionId());
        hears.assertSignal("chat", "three", a.getConnection().getConnectionId());
        hears.assertExhausted(Duration.ofMillis(200));
    }

    @Test
    @DisplayName("a client that keeps sending over its limits is closed: onDisconnected with SERVER_CLOSED and the server's words")
    void flooding() {
        start(config -> config.withNanoTime(nanos::get)
                .withRateLimits(RateLimits.defaults().withSignals(1, 1).withFlood(3, Duration.ofSeconds(10))));
        RecordingListener hears = new RecordingListener(WAIT);
        Session a = join(server.uri(), hears, "a");
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) sent.add(a.sendSignal("chat", "flood " + i));

        hears.assertSignal("chat", "flood 0", a.getConnection().getConnectionId());
        hears.assertDisconnected(DisconnectReason.SERVER_CLOSED);
        assertThat(a.getDisconnectMessage()).contains("flooding").contains("refused for the rate");
        assertThat(sent.get(0)).succeedsWithin(WAIT);
        for (int i = 1; i < 5; i++) failure(sent.get(i), ErrorCode.RATE_LIMITED);
    }

    @Test
    @DisplayName("joining a full session fails with SESSION_FULL and words that say so")
    void sessionFull() {
        start(config -> config.withMaxConnectionsPerSession(1));
        join(server.uri(), new RecordingListener(WAIT), "a");
        Session b = build(server.uri(), new RecordingListener(WAIT));
        SignalingException refused = failure(b.connect(token("b")), ErrorCode.SESSION_FULL);
        assertThat(refused.getMessage()).contains("session is full").contains("1 connection,");
        assertThat(ErrorCode.SESSION_FULL.number()).isEqualTo(1409);
    }

    @Test
    @DisplayName("after a reconnection, more queued signals than the rate lets through at once: all delivered, in order, once, none failed")
    void pacedQueueAfterReconnection() throws Exception {
        // 10 signals a second with bursts of 4; the queue holds 24, so most of it must wait for tokens.
        start(config -> config.withRateLimits(RateLimits.defaults().withSignals(10, 4)));
        proxy = FaultProxy.start(server.port());
        RecordingListener aHears = new RecordingListener(WAIT);
        Session a = join(proxy.uri(), aHears, "a");
        RecordingListener bHears = new RecordingListener(WAIT);
        Session b = join(server.uri(), bHears, "b");
        Connection bAtA = aHears.assertConnectionCreated(b.getConnection().getConnectionId());
        // Empty A's bucket before the drop, so that the pace has to start from nothing.
        List<CompletableFuture<Void>> before = new ArrayList<>();
        for (int i = 0; i < 4; i++) before.add(a.sendSignalToConnection("chat", "before " + i, bAtA));
        assertThat(CompletableFuture.allOf(before.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);

        a.faults().blockReconnection();
        proxy.resetAll();
        aHears.assertReconnecting();
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 4; i++) expected.add("before " + i);
        for (int i = 0; i < 24; i++) {
            queued.add(a.sendSignalToConnection("chat", "queued " + i, bAtA));
            expected.add("queued " + i);
        }
        assertThat(a.getQueuedSignals()).hasSize(24);
        long released = System.nanoTime();
        a.faults().releaseReconnection();

        assertThat(CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)))
                .as("every queued signal acknowledged, none failed for the rate").succeedsWithin(WAIT);
        Duration took = Duration.ofNanos(System.nanoTime() - released);
        await().atMost(WAIT).until(() -> bHears.heard(RecordingListener.SignalReceived.class).size() >= 28);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> bHears.heard(RecordingListener.SignalReceived.class).size() == 28);
        assertThat(bHears.heard(RecordingListener.SignalReceived.class))
                .extracting(received -> received.signal().data())
                .containsExactlyElementsOf(expected);
        // At 10 a second from an empty bucket, 24 signals take about 2.4 s: they were paced, not refused.
        assertThat(took).isGreaterThan(Duration.ofMillis(1500));
    }
}
