package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.CloseCodes;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.protocol.WireError;
import io.signalbox.server.auth.ProjectAuth;
import jakarta.websocket.CloseReason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The rate limits and the session cap against the real server, with real sockets and a real HTTP
 * client; the buckets run on a fake monotonic time that only the test moves, so nothing sleeps.
 */
class RateLimitTest {
    private static final long MS = 1_000_000L;
    /** The server's rate-limit time; frozen unless a test moves it. */
    private final AtomicLong nanos = new AtomicLong(1_000_000 * MS);
    /** The server of the test; set by start(). */
    private ServerFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) fx.close();
    }

    private void start(RateLimits limits) {
        fx = new ServerFixture(config -> config.withRateLimits(limits).withNanoTime(nanos::get));
    }

    private static ServerMessage.Nack send(RawClient client, long seq, String data) throws Exception {
        client.send(new ClientMessage.SendSignal(seq, "chat", data, client.selfId()));
        ServerMessage answer = client.next();
        while (answer instanceof ServerMessage.Signal) answer = client.next();
        return answer instanceof ServerMessage.Nack nack ? nack : null;
    }

    @Test
    @DisplayName("over the signal rate a send is refused with RATE_LIMITED and the wait; the socket stays open and a later send goes")
    void signalRate() throws Exception {
        start(RateLimits.defaults().withSignals(10, 2));
        try (RawClient a = fx.join()) {
            assertThat(send(a, 1, "one")).isNull();
            assertThat(send(a, 2, "two")).isNull();
            ServerMessage.Nack refused = send(a, 3, "three");
            assertThat(refused).isNotNull();
            assertThat(refused.code()).isEqualTo(WireError.RATE_LIMITED.code());
            assertThat(refused.retryAfterMs()).as("a token every 100 ms").isEqualTo(100L);
            assertThat(refused.message()).contains("10 signals a second").contains("100 ms");

            nanos.addAndGet(40 * MS);
            ServerMessage.Nack held = send(a, 4, "four");
            assertThat(held.retryAfterMs()).as("refused until the time the first refusal named").isEqualTo(60L);

            nanos.addAndGet(60 * MS);
            assertThat(send(a, 5, "five")).as("after the wait").isNull();
            assertThat(a.isOpen()).isTrue();
        }
    }

    @Test
    @DisplayName("over the byte rate a large signal is refused with the wait for its bytes, while a small one would go")
    void byteRate() throws Exception {
        start(RateLimits.defaults().withSignals(0, 0).withBytes(10_000, RateLimits.LARGEST_SIGNAL_BYTES));
        try (RawClient a = fx.join()) {
            String big = "x".repeat(8000);
            assertThat(send(a, 1, big)).isNull();
            ServerMessage.Nack refused = send(a, 2, big);
            assertThat(refused.code()).isEqualTo(WireError.RATE_LIMITED.code());
            // 320 bytes left; 8004 needed: 7684 more at 10 000 a second.
            assertThat(refused.retryAfterMs()).isEqualTo(769L);
            nanos.addAndGet(769 * MS);
            assertThat(send(a, 3, big)).isNull();
        }
    }

    @Test
    @DisplayName("a refused signal's seq is spent: sent again with it, it is a duplicate; its outcome is kept for a resume")
    void refusedSeqIsSpent() throws Exception {
        start(RateLimits.defaults().withSignals(1, 1));
        try (RawClient a = RawClient.open(fx.server)) {
            ServerMessage.Connected welcome = a.connect(fx.sessionId, fx.token());
            assertThat(send(a, 1, "one")).isNull();
            assertThat(send(a, 2, "two").code()).isEqualTo(WireError.RATE_LIMITED.code());
            a.close();
            try (RawClient back = RawClient.open(fx.server)) {
                back.send(new ClientMessage.Resume(1, fx.sessionId, welcome.self().id(), welcome.resumeToken(), 1L));
                ServerMessage.Resumed resumed = back.expect(ServerMessage.Resumed.class);
                assertThat(resumed.lastSeq()).isEqualTo(2L);
                assertThat(resumed.nacks()).singleElement().satisfies(nack -> {
                    assertThat(nack.seq()).isEqualTo(2L);
                    assertThat(nack.code()).isEqualTo(WireError.RATE_LIMITED.code());
                    assertThat(nack.retryAfterMs()).isPositive();
                });
                assertThat(resumed.rates().signalsAvailable()).isZero();
                assertThat(resumed.rates().signalsPerSecond()).isEqualTo(1L);
            }
        }
    }

    @Test
    @DisplayName("the welcome tells the client its limits and what it may send at once; a server without limits says nothing")
    void welcomeTellsRates() throws Exception {
        start(RateLimits.defaults());
        try (RawClient a = RawClient.open(fx.server)) {
            ServerMessage.Rates rates = a.connect(fx.sessionId, fx.token()).rates();
            assertThat(rates).isEqualTo(new ServerMessage.Rates(100L, 500L, 1_048_576L, 4_194_304L, 500L, 4_194_304L));
        }
        fx.close();
        start(RateLimits.unlimited());
        try (RawClient a = RawClient.open(fx.server)) {
            assertThat(a.connect(fx.sessionId, fx.token()).rates()).isNull();
        }
    }

    @Test
    @DisplayName("a client that keeps sending over its limits is closed with 4004 and the reason; the others see it leave as server closed")
    void flooding() throws Exception {
        start(RateLimits.defaults().withSignals(1, 1).withFlood(3, Duration.ofSeconds(10)));
        try (RawClient a = fx.join(); RawClient b = fx.join()) {
            a.skipTo(ServerMessage.Joined.class);
            assertThat(send(a, 1, "ok")).isNull();
            for (long seq = 2; seq <= 4; seq++) {
                assertThat(send(a, seq, "over").code()).isEqualTo(WireError.RATE_LIMITED.code());
                assertThat(a.isOpen()).isTrue();
            }
            assertThat(send(a, 5, "one too many").code()).isEqualTo(WireError.RATE_LIMITED.code());
            CloseReason closed = a.awaitClose();
            assertThat(closed.getCloseCode().getCode()).isEqualTo(CloseCodes.FLOODING);
            assertThat(closed.getReasonPhrase()).contains("flooding").contains("3 signals refused");
            ServerMessage.Left left = b.skipTo(ServerMessage.Left.class);
            assertThat(left.connectionId()).isEqualTo(a.selfId());
            assertThat(left.reason()).isEqualTo(Reason.SERVER_CLOSED);
            assertThat(b.isOpen()).isTrue();
        }
    }

    @Test
    @DisplayName("refusals are forgiven over the flood window: a client that waits between bursts is not closed")
    void refusalsForgiven() throws Exception {
        start(RateLimits.defaults().withSignals(1, 1).withFlood(2, Duration.ofSeconds(10)));
        try (RawClient a = fx.join()) {
            long seq = 1;
            for (int round = 0; round < 4; round++) {
                assertThat(send(a, seq++, "ok")).isNull();
                assertThat(send(a, seq++, "over")).isNotNull();
                assertThat(send(a, seq++, "over")).isNotNull();
                nanos.addAndGet(10_000 * MS); // a full window later, both refusals are forgiven
            }
            assertThat(a.isOpen()).isTrue();
        }
    }

    @Test
    @DisplayName("over the REST signal rate a call is answered 429 with Retry-After and a JSON error, and goes again after the wait")
    void restRate() throws Exception {
        start(RateLimits.defaults().withRest(2, 2));
        try (RawClient a = fx.join(); HttpClient http = HttpClient.newHttpClient()) {
            assertThat(restSignal(http).statusCode()).isEqualTo(204);
            assertThat(restSignal(http).statusCode()).isEqualTo(204);
            HttpResponse<String> refused = restSignal(http);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
            JsonNode body = new ObjectMapper().readTree(refused.body());
            assertThat(body.path("code").asInt()).isEqualTo(429);
            assertThat(body.path("message").asText()).contains("2 signals a second").contains("500 ms");
            assertThat(body.path("retryAfterMs").asLong()).isEqualTo(500L);

            nanos.addAndGet(500 * MS);
            assertThat(restSignal(http).statusCode()).isEqualTo(204);
            assertThat(a.skipTo(ServerMessage.Signal.class).data()).isEqualTo("hi");
        }
    }

    @Test
    @DisplayName("a session at its cap refuses one more with SESSION_FULL and 4014; one leaving makes room")
    void sessionCap() throws Exception {
        fx = new ServerFixture(config -> config.withMaxConnectionsPerSession(2));
        try (RawClient a = fx.join(); RawClient b = fx.join(); RawClient c = RawClient.open(fx.server)) {
            a.expect(ServerMessage.Joined.class);
            c.send(new ClientMessage.Connect(1, fx.sessionId, fx.token()));
            ServerMessage.Error error = c.expect(ServerMessage.Error.class);
            assertThat(error.code()).isEqualTo(WireError.SESSION_FULL.code());
            assertThat(error.message()).contains("session is full").contains("2 connections");
            CloseReason closed = c.awaitClose();
            assertThat(closed.getCloseCode().getCode()).isEqualTo(CloseCodes.SESSION_FULL);
            assertThat(a.pollRaw(Duration.ofMillis(200))).as("the others hear of no join").isNull();

            b.send(new ClientMessage.Leave());
            b.awaitClose();
            try (RawClient d = RawClient.open(fx.server)) {
                assertThat(d.connect(fx.sessionId, fx.token()).connections()).hasSize(1);
            }
        }
    }

    @Test
    @DisplayName("settings that cannot work are refused in words")
    void badSettings() {
        assertThatThrownBy(() -> RateLimits.defaults().withBytes(1000, 100)).hasMessageContaining("at least 8320");
        assertThatThrownBy(() -> RateLimits.defaults().withSignals(0, 5)).hasMessageContaining("needs a signal rate");
        assertThatThrownBy(() -> RateLimits.defaults().withSignals(-1, 0)).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> ServerConfig.defaults(ServerFixture.CREDENTIALS).withMaxConnectionsPerSession(0))
                .hasMessageContaining("at least 1");
    }

    private HttpResponse<String> restSignal(HttpClient http) throws Exception {
        String auth = new ProjectAuth(ServerFixture.CREDENTIALS, Clock.systemUTC(), new SecureRandom()).mint(Duration.ofMinutes(5));
        HttpRequest request = HttpRequest.newBuilder(URI.create(fx.server.uri() + "/v2/project/"
                        + ServerFixture.CREDENTIALS.apiKey() + "/session/" + fx.sessionId + "/signal"))
                .header("Content-Type", "application/json")
                .header("X-OPENTOK-AUTH", auth)
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"chat\",\"data\":\"hi\"}"))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
