package io.signalbox.client;

import static io.signalbox.client.SessionFixture.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.server.ServerConfig;
import io.signalbox.server.SignalboxServer;
import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.Role;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Real sessions, over the real WebSocket (Tyrus), against the real server on a free port. */
class SessionEndToEndTest {
    private static final ApiCredentials CREDENTIALS =
            ApiCredentials.of("46112233", "5f1a0c9d3e7b24a68c0d1e2f3a4b5c6d7e8f9012");
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final SignalboxServer server = SignalboxServer.start(ServerConfig.defaults(CREDENTIALS).withPort(0));
    private final String sessionId = server.createSessionId();
    /** Sessions the test made, disconnected after it. */
    private final List<Session> sessions = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        try {
            CompletableFuture.allOf(sessions.stream().map(Session::disconnect).toArray(CompletableFuture[]::new))
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            server.close();
        }
    }

    private Session session(RecordingListener listener) {
        return session(server.uri(), listener);
    }

    private Session session(URI uri, RecordingListener listener) {
        Session session = Session.builder(uri, sessionId).listener(listener).connectTimeout(Duration.ofSeconds(5)).build();
        sessions.add(session);
        return session;
    }

    private String token(String data) {
        return server.tokens().mintJwt(sessionId, Role.PUBLISHER, data, Duration.ofHours(1));
    }

    @Test
    @DisplayName("two real sessions join, see each other, and exchange signals to all and to one")
    void twoSessionsExchangeSignals() {
        RecordingListener aliceHears = new RecordingListener(WAIT);
        RecordingListener bobHears = new RecordingListener(WAIT);
        Session alice = session(aliceHears);
        Session bob = session(bobHears);

        assertThat(alice.connect(token("name=alice"))).succeedsWithin(WAIT);
        aliceHears.assertConnected();
        assertThat(bob.connect(token("name=bob"))).succeedsWithin(WAIT);
        bobHears.assertConnected();
        String aliceId = alice.getConnection().getConnectionId();
        String bobId = bob.getConnection().getConnectionId();
        assertThat(bobHears.assertConnectionCreated(aliceId).getData()).isEqualTo("name=alice");
        assertThat(aliceHears.assertConnectionCreated(bobId).getData()).isEqualTo("name=bob");
        assertThat(bob.getConnections()).extracting(Connection::getConnectionId).containsExactly(bobId, aliceId);

        assertThat(alice.sendSignal("chat", "Hello, everyone €")).succeedsWithin(WAIT);
        Signal toAll = bobHears.assertSignal("chat", "Hello, everyone €", aliceId);
        assertThat(toAll.direct()).isFalse();
        assertThat(toAll.from().getData()).isEqualTo("name=alice");
        assertThat(toAll.time()).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(60));
        aliceHears.assertSignal("chat", "Hello, everyone €", aliceId);

        Connection aliceSeenByBob = bob.getConnections().get(1);
        assertThat(bob.sendSignalToConnection("whisper", "just you", aliceSeenByBob)).succeedsWithin(WAIT);
        assertThat(aliceHears.assertSignal("whisper", "just you", bobId).direct()).isTrue();

        assertThat(bob.disconnect()).succeedsWithin(WAIT);
        bobHears.assertDisconnected(DisconnectReason.CLIENT_DISCONNECTED);
        aliceHears.assertConnectionDestroyed(bobId, DisconnectReason.CLIENT_DISCONNECTED);
        assertThat(alice.getConnections()).extracting(Connection::getConnectionId).containsExactly(aliceId);
        aliceHears.assertExhausted();
        bobHears.assertExhausted();
    }

    @Test
    @DisplayName("one sender's signals reach the other in the order they were sent")
    void order() {
        RecordingListener aliceHears = new RecordingListener(WAIT);
        RecordingListener bobHears = new RecordingListener(WAIT);
        Session alice = session(aliceHears);
        Session bob = session(bobHears);
        assertThat(alice.connect(token(""))).succeedsWithin(WAIT);
        assertThat(bob.connect(token(""))).succeedsWithin(WAIT);
        aliceHears.assertConnected();
        aliceHears.assertConnectionCreated(bob.getConnection().getConnectionId());
        bobHears.assertConnected();
        bobHears.assertConnectionCreated(alice.getConnection().getConnectionId());
        Connection bobSeenByAlice = alice.getConnections().get(1);

        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) sent.add(alice.sendSignalToConnection("n", Integer.toString(i), bobSeenByAlice));

        assertThat(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
        for (int i = 0; i < 200; i++) bobHears.assertSignal("n", Integer.toString(i), alice.getConnection().getConnectionId());
    }

    @Test
    @DisplayName("the real server's refusals reach the futures: a bad token, a signal to a connection not in the session")
    void refusals() {
        RecordingListener hears = new RecordingListener(WAIT);
        Session refused = session(hears);
        assertThat(failure(refused.connect("not-a-token"), ErrorCode.AUTHENTICATION_FAILED).getMessage()).isNotBlank();

        Session alice = session(hears);
        assertThat(alice.connect(token(""))).succeedsWithin(WAIT);
        hears.assertConnected();
        CompletableFuture<Void> toNobody = alice.sendSignalToConnection("chat", "hello?",
                new Connection("00000000-0000-0000-0000-000000000000", Instant.EPOCH, ""));
        failure(toNobody, ErrorCode.CONNECTION_NOT_FOUND);
    }

    @Test
    @DisplayName("a server shutting down is a lost link: the session reconnects until told otherwise")
    void serverShutdown() {
        RecordingListener hears = new RecordingListener(WAIT);
        Session alice = session(hears);
        assertThat(alice.connect(token(""))).succeedsWithin(WAIT);
        hears.assertConnected();

        server.close();

        hears.assertReconnecting();
        assertThat(alice.disconnect()).succeedsWithin(WAIT);
        hears.assertDisconnected(DisconnectReason.CLIENT_DISCONNECTED);
    }

    @Test
    @DisplayName("a signal sent through the REST API arrives with a null sender; a force disconnect ends the session with the server's words")
    void restSignalAndForceDisconnect() throws Exception {
        RecordingListener aliceHears = new RecordingListener(WAIT);
        RecordingListener bobHears = new RecordingListener(WAIT);
        Session alice = session(aliceHears);
        Session bob = session(bobHears);
        assertThat(alice.connect(token(""))).succeedsWithin(WAIT);
        aliceHears.assertConnected();
        assertThat(bob.connect(token(""))).succeedsWithin(WAIT);
        bobHears.assertConnected();
        bobHears.assertConnectionCreated(alice.getConnection().getConnectionId());
        String bobId = bob.getConnection().getConnectionId();
        aliceHears.assertConnectionCreated(bobId);

        assertThat(rest("POST", "/signal", "{\"type\":\"notice\",\"data\":\"from the server\"}")).isBetween(200, 299);
        aliceHears.assertSignal("notice", "from the server", null);
        bobHears.assertSignal("notice", "from the server", null);

        assertThat(rest("DELETE", "/connection/" + bobId, null)).isBetween(200, 299);
        bobHears.assertDisconnected(DisconnectReason.FORCE_DISCONNECTED);
        assertThat(bob.getDisconnectMessage()).isNotBlank();
        aliceHears.assertConnectionDestroyed(bobId, DisconnectReason.FORCE_DISCONNECTED);
    }

    private int rest(String method, String path, String json) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(server.uri() + "/v2/project/" + CREDENTIALS.apiKey() + "/session/" + sessionId + path))
                .header("X-OPENTOK-AUTH", server.projectAuth().mint(Duration.ofMinutes(1)))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        }
    }

    @Test
    @DisplayName("a server that is not there fails connect with CONNECT_FAILED")
    void nobodyListening() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Session lonely = session(URI.create("http://127.0.0.1:" + port), new RecordingListener());

        assertThat(failure(lonely.connect("token"), ErrorCode.CONNECT_FAILED).getMessage()).contains("127.0.0.1:" + port);
    }
}
