package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.CloseCodes;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.server.auth.Role;
import io.signalbox.server.auth.SessionIds;
import jakarta.websocket.CloseReason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The OpenTok-compatible REST API against a real server on a free port, called with the JDK's HTTP
 * client the way OpenTok's server SDKs call OpenTok, and watched by real WebSocket clients.
 */
class RestApiTest {
    private static final String KEY = ServerFixture.CREDENTIALS.apiKey();
    private static final String SECRET = ServerFixture.CREDENTIALS.secretText();
    private static final String OTHER_SECRET = "0000000000111111111122222222223333333333";
    private static final String CHAT_HI = "{\"type\":\"chat\",\"data\":\"hi\"}";

    private final ServerFixture fx = new ServerFixture();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private final List<RawClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (RawClient client : clients) client.close();
        http.close();
        fx.close();
    }

    // ---- authentication -------------------------------------------------------------------------

    /** One authenticated call of the API; the paths need a session and one of its connections. */
    private record Call(String name, String method, String pathTemplate, String contentType, String body) {
        String path(String sessionId, String connectionId) {
            return pathTemplate.replace("{key}", KEY).replace("{sid}", sessionId).replace("{cid}", connectionId);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final Call CREATE = new Call("POST /session/create", "POST", "/session/create",
            "application/x-www-form-urlencoded", "p2p.preference=disabled&archiveMode=manual&location=127.0.0.1");
    private static final Call SIGNAL_ALL = new Call("POST .../signal", "POST",
            "/v2/project/{key}/session/{sid}/signal", "application/json", CHAT_HI);
    private static final Call SIGNAL_ONE = new Call("POST .../connection/{cid}/signal", "POST",
            "/v2/project/{key}/session/{sid}/connection/{cid}/signal", "application/json", CHAT_HI);
    private static final Call LIST = new Call("GET .../connection", "GET",
            "/v2/project/{key}/session/{sid}/connection", null, null);
    private static final Call KICK = new Call("DELETE .../connection/{cid}", "DELETE",
            "/v2/project/{key}/session/{sid}/connection/{cid}", null, null);

    static Stream<Call> everyCall() {
        return Stream.of(CREATE, SIGNAL_ALL, SIGNAL_ONE, LIST, KICK);
    }

    static Stream<Call> sessionCalls() {
        return Stream.of(SIGNAL_ALL, SIGNAL_ONE, LIST, KICK);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyCall")
    @DisplayName("a call without X-OPENTOK-AUTH is refused with 403 and does nothing")
    void noAuthHeader(Call call) throws Exception {
        refusedWithoutEffect(call, null, "missing X-OPENTOK-AUTH");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyCall")
    @DisplayName("a call whose project JWT is signed with another secret is refused with 403 and does nothing")
    void forgedAuth(Call call) throws Exception {
        Instant now = Instant.now();
        String forged = projectJwt(OTHER_SECRET, "project", now, now.plus(Duration.ofMinutes(3)));
        refusedWithoutEffect(call, forged, "signature");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyCall")
    @DisplayName("a call whose project JWT has expired is refused with 403 and does nothing")
    void expiredAuth(Call call) throws Exception {
        Instant now = Instant.now();
        String expired = projectJwt(SECRET, "project", now.minus(Duration.ofMinutes(10)), now.minus(Duration.ofMinutes(5)));
        refusedWithoutEffect(call, expired, "expired");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyCall")
    @DisplayName("a call whose JWT has an ist other than \"project\" is refused with 403 and does nothing")
    void wrongIst(Call call) throws Exception {
        Instant now = Instant.now();
        String account = projectJwt(SECRET, "account", now, now.plus(Duration.ofMinutes(3)));
        refusedWithoutEffect(call, account, "ist");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyCall")
    @DisplayName("a client token is no project JWT: a call carrying one is refused with 403 and does nothing")
    void clientTokenAsAuth(Call call) throws Exception {
        refusedWithoutEffect(call, fx.token(Role.MODERATOR, ""), "client token");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sessionCalls")
    @DisplayName("a call whose path names another API key is refused with 403 and does nothing")
    void otherApiKeyInPath(Call call) throws Exception {
        RawClient watcher = join(fx.sessionId);
        String path = call.path(fx.sessionId, watcher.selfId()).replace("/project/" + KEY + "/", "/project/87654321/");

        HttpResponse<String> response = send(call.method(), path, call.contentType(), call.body(), validAuth());

        assertError(response, 403);
        assertThat(message(response)).contains("87654321");
        assertUntouched(watcher);
    }

    @Test
    @DisplayName("a project JWT minted by hand as OpenTok's SDKs mint it (HS256, iss, ist, iat, exp, jti) is accepted")
    void handMadeProjectJwtAccepted() throws Exception {
        RawClient watcher = join(fx.sessionId);
        Instant now = Instant.now();
        String jwt = projectJwt(SECRET, "project", now, now.plus(Duration.ofMinutes(3)));

        HttpResponse<String> response = send("POST", sessionPath(fx.sessionId) + "/signal", "application/json", CHAT_HI, jwt);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        assertThat(watcher.skipTo(ServerMessage.Signal.class).data()).isEqualTo("hi");
    }

    /**
     * Makes the call with the given header (none when null) while a client is in the session, checks
     * the 403 and its JSON body, then proves the call had no effect: the client is still connected,
     * and the next signal it gets is a marker sent afterwards with valid authentication.
     */
    private void refusedWithoutEffect(Call call, String auth, String messagePart) throws Exception {
        RawClient watcher = join(fx.sessionId);

        HttpResponse<String> response = send(call.method(), call.path(fx.sessionId, watcher.selfId()),
                call.contentType(), call.body(), auth);

        assertError(response, 403);
        assertThat(message(response)).containsIgnoringCase(messagePart);
        assertUntouched(watcher);
    }

    /** The client is still in the session and was sent no signal before a marker sent now. */
    private void assertUntouched(RawClient watcher) throws Exception {
        HttpResponse<String> marker = signalAll(fx.sessionId, "{\"type\":\"marker\",\"data\":\"after\"}");
        assertThat(marker.statusCode()).as("the marker signal: %s", marker.body()).isEqualTo(204);
        ServerMessage.Signal next = watcher.skipTo(ServerMessage.Signal.class);
        assertThat(next.type()).as("the first signal the client got").isEqualTo("marker");
        assertThat(watcher.isOpen()).isTrue();
    }

    // ---- creating sessions ----------------------------------------------------------------------

    @Test
    @DisplayName("POST /session/create with an OpenTok SDK's form body answers one session of this API key that clients can join")
    void createSession() throws Exception {
        long before = System.currentTimeMillis();
        HttpResponse<String> response = send(CREATE.method(), CREATE.pathTemplate(), CREATE.contentType(), CREATE.body(), validAuth());
        long after = System.currentTimeMillis();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertJsonContentType(response);
        JsonNode body = json.readTree(response.body());
        assertThat(body.isArray()).as("the body is a JSON array: %s", body).isTrue();
        assertThat(body).hasSize(1);
        JsonNode session = body.get(0);
        assertThat(session.path("project_id").asText()).isEqualTo(KEY);
        assertThat(session.path("create_dt").isTextual()).isTrue();
        assertThat(session.path("create_dt").asText()).isNotBlank();
        String sessionId = session.path("session_id").asText();

        assertThat(sessionId).startsWith("1_");
        String decoded = new String(Base64.getUrlDecoder().decode(sessionId.substring(2)), StandardCharsets.UTF_8);
        assertThat(decoded).matches("1~" + KEY + "~~\\d+~[0-9a-z]+~");
        long createdAt = Long.parseLong(decoded.split("~")[3]);
        assertThat(createdAt).isBetween(before, after);

        RawClient client = track(RawClient.joined(fx.server, sessionId, fx.tokenFor(sessionId)));
        assertThat(client.selfId()).isNotBlank();
        assertThat(signalAll(sessionId, CHAT_HI).statusCode()).isEqualTo(204);
        assertThat(client.skipTo(ServerMessage.Signal.class).data()).isEqualTo("hi");
    }

    @Test
    @DisplayName("each POST /session/create makes a new session id")
    void createdSessionsDiffer() throws Exception {
        String first = json.readTree(send("POST", "/session/create", CREATE.contentType(), CREATE.body(), validAuth()).body())
                .get(0).path("session_id").asText();
        String second = json.readTree(send("POST", "/session/create", CREATE.contentType(), CREATE.body(), validAuth()).body())
                .get(0).path("session_id").asText();

        assertThat(first).isNotBlank();
        assertThat(second).isNotBlank().isNotEqualTo(first);
    }

    // ---- signaling ------------------------------------------------------------------------------

    @Test
    @DisplayName("a signal to the session reaches every connection, with no sender and not direct, and answers 204")
    void signalToEveryone() throws Exception {
        RawClient a = join(fx.sessionId);
        RawClient b = join(fx.sessionId);
        RawClient c = join(fx.sessionId);

        long before = System.currentTimeMillis();
        HttpResponse<String> response = signalAll(fx.sessionId, CHAT_HI);
        long after = System.currentTimeMillis();

        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        for (RawClient client : List.of(a, b, c)) {
            ServerMessage.Signal got = client.skipTo(ServerMessage.Signal.class);
            assertThat(got.type()).isEqualTo("chat");
            assertThat(got.data()).isEqualTo("hi");
            assertThat(got.from()).isNull();
            assertThat(got.direct()).isFalse();
            assertThat(got.time()).isBetween(before, after);
        }
    }

    @Test
    @DisplayName("a signal to one connection reaches only it, marked direct, with no sender, and answers 204")
    void signalToOne() throws Exception {
        RawClient a = join(fx.sessionId);
        RawClient b = join(fx.sessionId);
        RawClient c = join(fx.sessionId);

        HttpResponse<String> response = send("POST", sessionPath(fx.sessionId) + "/connection/" + b.selfId() + "/signal",
                "application/json", "{\"type\":\"dm\",\"data\":\"just you\"}", validAuth());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        ServerMessage.Signal got = b.skipTo(ServerMessage.Signal.class);
        assertThat(got.type()).isEqualTo("dm");
        assertThat(got.data()).isEqualTo("just you");
        assertThat(got.from()).isNull();
        assertThat(got.direct()).isTrue();
        // a and c: the first signal they see is a broadcast sent afterwards.
        assertThat(signalAll(fx.sessionId, "{\"type\":\"marker\",\"data\":\"after\"}").statusCode()).isEqualTo(204);
        assertThat(a.skipTo(ServerMessage.Signal.class).type()).isEqualTo("marker");
        assertThat(c.skipTo(ServerMessage.Signal.class).type()).isEqualTo("marker");
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("a type with a character outside A-Z a-z 0-9 - _ ~", "{\"type\":\"bad type\",\"data\":\"x\"}"),
                Arguments.of("a type that is not a string", "{\"type\":5,\"data\":\"x\"}"),
                Arguments.of("a body that is not JSON", "{\"type\":\"chat\",\"data\":"),
                Arguments.of("JSON followed by more text", CHAT_HI + " and more"),
                Arguments.of("an empty body", ""),
                Arguments.of("a JSON array", "[" + CHAT_HI + "]"),
                Arguments.of("a JSON string", "\"hi\""),
                Arguments.of("JSON null", "null"),
                Arguments.of("no data", "{\"type\":\"chat\"}"),
                Arguments.of("data null", "{\"type\":\"chat\",\"data\":null}"),
                Arguments.of("data a number", "{\"type\":\"chat\",\"data\":42}"),
                Arguments.of("data an object", "{\"type\":\"chat\",\"data\":{\"text\":\"hi\"}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    @DisplayName("a signal with a malformed body is refused with 400 and reaches no one")
    void badBodyIs400(String what, String body) throws Exception {
        RawClient watcher = join(fx.sessionId);

        HttpResponse<String> toAll = signalAll(fx.sessionId, body);
        HttpResponse<String> toOne = send("POST", sessionPath(fx.sessionId) + "/connection/" + watcher.selfId() + "/signal",
                "application/json", body, validAuth());

        assertError(toAll, 400);
        assertError(toOne, 400);
        assertUntouched(watcher);
    }

    @Test
    @DisplayName("a signal to a session id of the wrong form is refused with 400")
    void garbageSessionIdIs400() throws Exception {
        HttpResponse<String> toAll = signalAll("garbage", CHAT_HI);
        HttpResponse<String> list = send("GET", sessionPath("garbage") + "/connection", null, null, validAuth());

        assertError(toAll, 400);
        assertThat(message(toAll)).contains("garbage");
        assertError(list, 400);
    }

    @Test
    @DisplayName("a signal to a session id of another API key is refused with 400")
    void otherKeysSessionIs400() throws Exception {
        String foreign = SessionIds.create("87654321", Instant.now(), new SecureRandom());

        assertError(signalAll(foreign, CHAT_HI), 400);
    }

    @Test
    @DisplayName("a type over 128 characters is refused with 413 and reaches no one")
    void typeTooLongIs413() throws Exception {
        RawClient watcher = join(fx.sessionId);

        HttpResponse<String> response = signalAll(fx.sessionId, signalBody("t".repeat(129), "x"));

        assertError(response, 413);
        assertThat(message(response)).contains("128");
        assertUntouched(watcher);
    }

    @Test
    @DisplayName("a type both too long and invalid is refused as too long (413): length is checked before characters")
    void lengthBeforeCharacters() throws Exception {
        join(fx.sessionId);

        assertError(signalAll(fx.sessionId, signalBody(" ".repeat(129), "x")), 413);
    }

    @Test
    @DisplayName("data over 8192 bytes is refused with 413 and reaches no one")
    void dataTooLongIs413() throws Exception {
        RawClient watcher = join(fx.sessionId);

        HttpResponse<String> response = signalAll(fx.sessionId, signalBody("chat", "d".repeat(8193)));

        assertError(response, 413);
        assertThat(message(response)).contains("8192");
        assertUntouched(watcher);
    }

    @Test
    @DisplayName("data of 2731 euro signs (8193 bytes of UTF-8, 2731 characters) is refused with 413")
    void multiByteDataTooLongIs413() throws Exception {
        RawClient watcher = join(fx.sessionId);

        HttpResponse<String> response = signalAll(fx.sessionId, signalBody("chat", "€".repeat(2731)));

        assertError(response, 413);
        assertUntouched(watcher);
    }

    @Test
    @DisplayName("a type of exactly 128 characters and data of exactly 8192 bytes are delivered intact (204)")
    void limitsAreInclusive() throws Exception {
        RawClient watcher = join(fx.sessionId);
        String type = "A-z_9~".repeat(21) + "ab";
        String ascii = "d".repeat(8192);
        String euros = "€".repeat(2730) + "xy";

        assertThat(type).hasSize(128);
        assertThat(euros.getBytes(StandardCharsets.UTF_8)).hasSize(8192);
        assertThat(signalAll(fx.sessionId, signalBody(type, "x")).statusCode()).isEqualTo(204);
        assertThat(signalAll(fx.sessionId, signalBody("chat", ascii)).statusCode()).isEqualTo(204);
        assertThat(signalAll(fx.sessionId, signalBody("chat", euros)).statusCode()).isEqualTo(204);

        assertThat(watcher.skipTo(ServerMessage.Signal.class).type()).isEqualTo(type);
        assertThat(watcher.skipTo(ServerMessage.Signal.class).data()).isEqualTo(ascii);
        assertThat(watcher.skipTo(ServerMessage.Signal.class).data()).isEqualTo(euros);
    }

    @Test
    @DisplayName("a signal to a connection id that is not in the session is refused with 404")
    void unknownConnectionIs404() throws Exception {
        RawClient watcher = join(fx.sessionId);
        String nobody = UUID.randomUUID().toString();

        HttpResponse<String> response = send("POST", sessionPath(fx.sessionId) + "/connection/" + nobody + "/signal",
                "application/json", CHAT_HI, validAuth());

        assertError(response, 404);
        assertThat(message(response)).contains(nobody);
        assertUntouched(watcher);
    }

    @Test
    @DisplayName("a signal through one session to a connection of another session is refused with 404 and never reaches it")
    void connectionOfAnotherSessionIs404() throws Exception {
        join(fx.sessionId);
        String otherSession = fx.server.createSessionId();
        RawClient stranger = track(RawClient.joined(fx.server, otherSession, fx.tokenFor(otherSession)));

        HttpResponse<String> response = send("POST", sessionPath(fx.sessionId) + "/connection/" + stranger.selfId() + "/signal",
                "application/json", CHAT_HI, validAuth());

        assertError(response, 404);
        assertThat(signalAll(otherSession, "{\"type\":\"marker\",\"data\":\"after\"}").statusCode()).isEqualTo(204);
        assertThat(stranger.skipTo(ServerMessage.Signal.class).type()).isEqualTo("marker");
    }

    @Test
    @DisplayName("a signal to everyone in a session where no one is connected is refused with 404")
    void emptySessionIs404() throws Exception {
        HttpResponse<String> response = signalAll(fx.sessionId, CHAT_HI);

        assertError(response, 404);
        assertThat(message(response)).contains(fx.sessionId);
    }

    // ---- connections ----------------------------------------------------------------------------

    @Test
    @DisplayName("GET .../connection lists exactly the connections in the session, in the order they joined")
    void listConnections() throws Exception {
        RawClient a = track(RawClient.open(fx.server));
        ServerMessage.Connected welcomeA = a.connect(fx.sessionId, fx.token(Role.PUBLISHER, "name=Ada"));
        RawClient b = track(RawClient.open(fx.server));
        ServerMessage.Connected welcomeB = b.connect(fx.sessionId, fx.token(Role.PUBLISHER, "name=Bo"));
        String otherSession = fx.server.createSessionId();
        track(RawClient.joined(fx.server, otherSession, fx.tokenFor(otherSession)));

        HttpResponse<String> response = send("GET", sessionPath(fx.sessionId) + "/connection", null, null, validAuth());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertJsonContentType(response);
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("count").isInt()).isTrue();
        assertThat(body.path("count").asInt()).isEqualTo(2);
        assertThat(body.path("projectId").asText()).isEqualTo(KEY);
        assertThat(body.path("sessionId").asText()).isEqualTo(fx.sessionId);
        JsonNode items = body.path("items");
        assertThat(items).hasSize(2);
        List<ServerMessage.Connected> welcomes = List.of(welcomeA, welcomeB);
        for (int i = 0; i < 2; i++) {
            JsonNode item = items.get(i);
            assertThat(item.path("connectionId").asText()).isEqualTo(welcomes.get(i).self().id());
            assertThat(item.path("connectionState").asText()).isEqualTo("Connected");
            assertThat(item.path("createdAt").isIntegralNumber()).as("createdAt is a number: %s", item).isTrue();
            assertThat(item.path("createdAt").asLong()).isEqualTo(welcomes.get(i).self().createdAt());
        }
    }

    @Test
    @DisplayName("GET .../connection of a session no one is in answers count 0 and no items")
    void listEmptySession() throws Exception {
        HttpResponse<String> response = send("GET", sessionPath(fx.sessionId) + "/connection", null, null, validAuth());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("count").asInt(-1)).isZero();
        assertThat(body.path("items").isArray()).isTrue();
        assertThat(body.path("items")).isEmpty();
    }

    @Test
    @DisplayName("DELETE .../connection/{id} closes that client with 4001, tells the others forceDisconnected, and a second DELETE is 404")
    void forceDisconnect() throws Exception {
        RawClient a = join(fx.sessionId);
        RawClient b = join(fx.sessionId);
        RawClient c = join(fx.sessionId);
        String kicked = b.selfId();

        HttpResponse<String> response = send("DELETE", sessionPath(fx.sessionId) + "/connection/" + kicked, null, null, validAuth());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(204);
        CloseReason close = b.awaitClose();
        assertThat(close.getCloseCode().getCode()).isEqualTo(CloseCodes.FORCE_DISCONNECTED);
        for (RawClient other : List.of(a, c)) {
            ServerMessage.Left left = other.skipTo(ServerMessage.Left.class);
            assertThat(left.connectionId()).isEqualTo(kicked);
            assertThat(left.reason()).isEqualTo(Reason.FORCE_DISCONNECTED);
        }
        JsonNode list = json.readTree(send("GET", sessionPath(fx.sessionId) + "/connection", null, null, validAuth()).body());
        assertThat(list.path("items").findValuesAsText("connectionId")).containsExactly(a.selfId(), c.selfId());

        HttpResponse<String> again = send("DELETE", sessionPath(fx.sessionId) + "/connection/" + kicked, null, null, validAuth());
        assertError(again, 404);
        assertThat(message(again)).contains(kicked);
    }

    @Test
    @DisplayName("DELETE of a connection that belongs to another session is 404 and leaves it connected")
    void forceDisconnectAcrossSessionsIs404() throws Exception {
        join(fx.sessionId);
        String otherSession = fx.server.createSessionId();
        RawClient stranger = track(RawClient.joined(fx.server, otherSession, fx.tokenFor(otherSession)));

        HttpResponse<String> response = send("DELETE", sessionPath(fx.sessionId) + "/connection/" + stranger.selfId(),
                null, null, validAuth());

        assertError(response, 404);
        assertThat(signalAll(otherSession, CHAT_HI).statusCode()).isEqualTo(204);
        assertThat(stranger.skipTo(ServerMessage.Signal.class).data()).isEqualTo("hi");
        assertThat(stranger.isOpen()).isTrue();
    }

    // ---- health and robustness ------------------------------------------------------------------

    @Test
    @DisplayName("GET /health needs no authentication and answers ok with the counts of sessions and connections and the JVM's memory and files")
    void health() throws Exception {
        join(fx.sessionId);
        join(fx.sessionId);
        String otherSession = fx.server.createSessionId();
        track(RawClient.joined(fx.server, otherSession, fx.tokenFor(otherSession)));

        HttpResponse<String> response = send("GET", "/health", null, null, null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertJsonContentType(response);
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("ok");
        assertThat(body.path("sessions").asInt(-1)).isEqualTo(2);
        assertThat(body.path("connections").asInt(-1)).isEqualTo(3);
        JsonNode jvm = body.path("jvm");
        assertThat(jvm.path("heapUsedBytes").asLong(-1)).isPositive();
        assertThat(jvm.path("heapAfterGcBytes").asLong(-2)).isGreaterThanOrEqualTo(-1);
        assertThat(jvm.path("heapMaxBytes").asLong(-1)).isPositive();
        assertThat(jvm.path("openFiles").asLong(-1)).as("open files, on Linux").isPositive();
        assertThat(jvm.path("threads").asInt(-1)).isPositive();
    }

    @Test
    @DisplayName("an unknown path is a 404 with a JSON body")
    void unknownPathIs404() throws Exception {
        HttpResponse<String> response = send("GET", "/v2/project/" + KEY + "/nothing-here", null, null, validAuth());

        assertError(response, 404);
    }

    @Test
    @DisplayName("after a 400 and a 413 from the REST API, a WebSocket client in the session still sends and receives")
    void badCallsHarmNothing() throws Exception {
        RawClient a = join(fx.sessionId);
        RawClient b = join(fx.sessionId);

        assertError(signalAll(fx.sessionId, "{\"type\":\"bad type\",\"data\":\"x\"}"), 400);
        assertError(signalAll(fx.sessionId, "{not json"), 400);
        assertError(signalAll(fx.sessionId, signalBody("chat", "d".repeat(9000))), 413);

        a.send(new ClientMessage.SendSignal(1L, "chat", "still here", null));
        assertThat(a.skipTo(ServerMessage.Signal.class).data()).isEqualTo("still here");
        assertThat(a.skipTo(ServerMessage.Ack.class).seq()).isEqualTo(1L);
        ServerMessage.Signal atB = b.skipTo(ServerMessage.Signal.class);
        assertThat(atB.data()).isEqualTo("still here");
        assertThat(atB.from()).isEqualTo(a.selfId());
        assertThat(signalAll(fx.sessionId, CHAT_HI).statusCode()).isEqualTo(204);
        assertThat(a.skipTo(ServerMessage.Signal.class).data()).isEqualTo("hi");
        assertThat(b.skipTo(ServerMessage.Signal.class).data()).isEqualTo("hi");
    }

    // ---- helpers --------------------------------------------------------------------------------

    /** A project JWT built with Nimbus by hand, as an OpenTok server SDK builds it. */
    private static String projectJwt(String secret, String ist, Instant issuedAt, Instant expiresAt) throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(KEY)
                .claim("ist", ist)
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(expiresAt))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    private String validAuth() {
        return fx.server.projectAuth().mint(Duration.ofMinutes(3));
    }

    private static String sessionPath(String sessionId) {
        return "/v2/project/" + KEY + "/session/" + sessionId;
    }

    private String signalBody(String type, String data) throws Exception {
        return json.writeValueAsString(Map.of("type", type, "data", data));
    }

    private HttpResponse<String> signalAll(String sessionId, String body) throws Exception {
        return send("POST", sessionPath(sessionId) + "/signal", "application/json", body, validAuth());
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body, String auth)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(fx.server.uri() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", "application/json")
                .method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) request.header("Content-Type", contentType);
        if (auth != null) request.header("X-OPENTOK-AUTH", auth);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private RawClient join(String sessionId) throws Exception {
        return track(RawClient.joined(fx.server, sessionId, fx.tokenFor(sessionId)));
    }

    private RawClient track(RawClient client) {
        clients.add(client);
        return client;
    }

    /** The status, a JSON content type, and a body {"code": status, "message": "..."}. */
    private void assertError(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as("status of %s: %s", response.request().uri(), response.body()).isEqualTo(status);
        assertJsonContentType(response);
        JsonNode body = json.readTree(response.body());
        assertThat(body.isObject()).as("an error body is a JSON object: %s", response.body()).isTrue();
        assertThat(body.path("code").isInt()).as("code is a number: %s", response.body()).isTrue();
        assertThat(body.path("code").asInt()).isEqualTo(status);
        assertThat(body.path("message").isTextual()).as("message is a string: %s", response.body()).isTrue();
        assertThat(body.path("message").asText()).isNotBlank();
    }

    private static void assertJsonContentType(HttpResponse<String> response) {
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
    }

    private String message(HttpResponse<String> response) throws Exception {
        return json.readTree(response.body()).path("message").asText();
    }
}
