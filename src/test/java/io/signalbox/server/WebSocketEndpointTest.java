package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.CloseCodes;
import io.signalbox.protocol.Limits;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.protocol.WireError;
import io.signalbox.server.auth.Role;
import jakarta.websocket.CloseReason;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The WebSocket endpoint with real Tyrus sockets speaking the protocol by hand. */
class WebSocketEndpointTest {
    private final ServerFixture fx = new ServerFixture();

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    @DisplayName("a client that connects gets its own connection, the others present, and the server's settings")
    void connectWelcomes() throws Exception {
        try (RawClient first = RawClient.open(fx.server)) {
            ServerMessage.Connected welcome = first.connect(fx.sessionId, fx.token(Role.PUBLISHER, "name=Ada"));
            assertThat(welcome.v()).isEqualTo(Limits.PROTOCOL_VERSION);
            assertThat(welcome.self().data()).isEqualTo("name=Ada");
            assertThat(welcome.self().id()).matches("[0-9a-f-]{36}");
            assertThat(welcome.connections()).isEmpty();
            assertThat(welcome.reconnectWindowMs()).isEqualTo(60_000L);
            assertThat(welcome.resumeToken()).isNotBlank();

            try (RawClient second = RawClient.open(fx.server)) {
                ServerMessage.Connected secondWelcome = second.connect(fx.sessionId, fx.token(Role.PUBLISHER, "name=Bo"));
                assertThat(secondWelcome.connections()).containsExactly(welcome.self());
                ServerMessage.Joined joined = first.expect(ServerMessage.Joined.class);
                assertThat(joined.connection()).isEqualTo(secondWelcome.self());
            }
        }
    }

    @Test
    @DisplayName("no HTTP session outlives the WebSocket upgrade that made it")
    void noHttpSessionPerConnection() throws Exception {
        try (RawClient a = fx.join(); RawClient b = fx.join(); RawClient c = fx.join()) {
            assertThat(fx.server.httpSessionCount()).isZero();
            assertThat(fx.server.connectionCount()).isEqualTo(3);
        }
    }

    @Test
    @DisplayName("a client may name itself when its token names no one; a token's own data always wins")
    void offeredConnectionData() throws Exception {
        try (RawClient anonymous = RawClient.open(fx.server); RawClient named = RawClient.open(fx.server);
             RawClient greedy = RawClient.open(fx.server)) {
            anonymous.send(new ClientMessage.Connect(1, fx.sessionId, fx.token(Role.PUBLISHER, ""), "name=Eve"));
            assertThat(anonymous.expect(ServerMessage.Connected.class).self().data()).isEqualTo("name=Eve");
            named.send(new ClientMessage.Connect(1, fx.sessionId, fx.token(Role.PUBLISHER, "name=Ada"), "name=Mallory"));
            assertThat(named.expect(ServerMessage.Connected.class).self().data()).isEqualTo("name=Ada");
            greedy.send(new ClientMessage.Connect(1, fx.sessionId, fx.token(), "x".repeat(1001)));
            assertError(greedy, WireError.MALFORMED_MESSAGE, "longer than 1000 characters");
            assertThat(greedy.awaitClose().getCloseCode().getCode()).isEqualTo(CloseCodes.AUTHENTICATION_FAILED);
        }
    }

    @Test
    @DisplayName("a signal to everyone reaches every connection, the sender included, and is acknowledged")
    void broadcastIncludesSender() throws Exception {
        try (RawClient a = fx.join(); RawClient b = fx.join()) {
            a.send(new ClientMessage.SendSignal(1L, "chat", "hello €", null));
            ServerMessage.Signal atA = a.skipTo(ServerMessage.Signal.class);
            assertThat(atA.type()).isEqualTo("chat");
            assertThat(atA.data()).isEqualTo("hello €");
            assertThat(atA.direct()).isFalse();
            assertThat(atA.from()).isEqualTo(a.selfId());
            assertThat(a.skipTo(ServerMessage.Ack.class).seq()).isEqualTo(1L);
            ServerMessage.Signal atB = b.skipTo(ServerMessage.Signal.class);
            assertThat(atB).isEqualTo(atA);
        }
    }

    @Test
    @DisplayName("a signal to one connection reaches only it, marked direct, from the real sender whatever the client claims")
    void directSignal() throws Exception {
        try (RawClient a = fx.join(); RawClient b = fx.join(); RawClient c = fx.join()) {
            a.sendText("{\"kind\":\"signal\",\"seq\":1,\"type\":\"dm\",\"data\":\"psst\",\"to\":\""
                    + b.selfId() + "\",\"from\":\"" + c.selfId() + "\"}");
            assertThat(a.skipTo(ServerMessage.Ack.class).seq()).isEqualTo(1L);
            ServerMessage.Signal got = b.skipTo(ServerMessage.Signal.class);
            assertThat(got.from()).isEqualTo(a.selfId());
            assertThat(got.direct()).isTrue();
            assertThat(got.data()).isEqualTo("psst");
            // c hears of nothing but b's... nothing at all: it joined last and saw no one join after it.
            assertThat(c.pollRaw(Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    @DisplayName("each sender's signals arrive in the order sent")
    void perSenderOrder() throws Exception {
        try (RawClient a = fx.join(); RawClient b = fx.join()) {
            for (long i = 1; i <= 200; i++) a.send(new ClientMessage.SendSignal(i, "n", Long.toString(i), null));
            for (long i = 1; i <= 200; i++) {
                assertThat(b.skipTo(ServerMessage.Signal.class).data()).isEqualTo(Long.toString(i));
            }
        }
    }

    @Test
    @DisplayName("a duplicate sequence number is acknowledged but not routed twice")
    void duplicateDropped() throws Exception {
        try (RawClient a = fx.join(); RawClient b = fx.join()) {
            a.send(new ClientMessage.SendSignal(1L, "n", "once", b.selfId()));
            a.send(new ClientMessage.SendSignal(1L, "n", "once", b.selfId()));
            a.send(new ClientMessage.SendSignal(2L, "n", "two", b.selfId()));
            assertThat(b.skipTo(ServerMessage.Signal.class).data()).isEqualTo("once");
            assertThat(b.skipTo(ServerMessage.Signal.class).data()).isEqualTo("two");
            assertThat(a.skipTo(ServerMessage.Ack.class).seq()).isEqualTo(1L);
            assertThat(a.skipTo(ServerMessage.Ack.class).seq()).isEqualTo(1L);
            assertThat(a.skipTo(ServerMessage.Ack.class).seq()).isEqualTo(2L);
        }
    }

    @Test
    @DisplayName("the server enforces the limits itself and tells the sender which one")
    void serverEnforcesLimits() throws Exception {
        try (RawClient a = fx.join(); RawClient b = fx.join()) {
            a.send(new ClientMessage.SendSignal(1L, "t".repeat(129), "", null));
            assertNack(a, 1, WireError.SIGNAL_TYPE_TOO_LONG);
            a.send(new ClientMessage.SendSignal(2L, "bad type", "", null));
            assertNack(a, 2, WireError.INVALID_SIGNAL_TYPE);
            a.send(new ClientMessage.SendSignal(3L, "t", "€".repeat(2731), null));
            assertNack(a, 3, WireError.SIGNAL_DATA_TOO_LONG);
            a.send(new ClientMessage.SendSignal(4L, "t", "x", "no-such-connection"));
            assertNack(a, 4, WireError.CONNECTION_NOT_FOUND);
            a.send(new ClientMessage.SendSignal(5L, "t".repeat(128), "x".repeat(8192), null));
            assertThat(b.skipTo(ServerMessage.Signal.class).data()).hasSize(8192);
        }
    }

    @Test
    @DisplayName("a connection of another session is not found")
    void otherSessionIsNotFound() throws Exception {
        String other = fx.server.createSessionId();
        try (RawClient a = fx.join(); RawClient elsewhere = RawClient.joined(fx.server, other, fx.tokenFor(other))) {
            a.send(new ClientMessage.SendSignal(1L, "t", "x", elsewhere.selfId()));
            assertNack(a, 1, WireError.CONNECTION_NOT_FOUND);
            assertThat(elsewhere.pollRaw(Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    @DisplayName("a publisheronly connection may not send signals, but receives them")
    void publisherOnlyMayNotSignal() throws Exception {
        try (RawClient quiet = RawClient.joined(fx.server, fx.sessionId, fx.token(Role.PUBLISHER_ONLY, ""));
             RawClient b = fx.join()) {
            quiet.send(new ClientMessage.SendSignal(1L, "t", "x", null));
            assertNack(quiet, 1, WireError.NOT_PERMITTED);
            b.send(new ClientMessage.SendSignal(1L, "t", "to all", null));
            assertThat(quiet.skipTo(ServerMessage.Signal.class).data()).isEqualTo("to all");
        }
    }

    @Test
    @DisplayName("malformed JSON, unknown kinds and bad fields get an error each; the socket stays open and others are untouched")
    void badInputAnsweredNotFatal() throws Exception {
        try (RawClient bad = fx.join(); RawClient good = fx.join()) {
            bad.sendText("{not json");
            assertError(bad, WireError.MALFORMED_MESSAGE, "not valid JSON");
            bad.sendText("{\"kind\":\"teleport\"}");
            assertError(bad, WireError.MALFORMED_MESSAGE, "unknown message kind 'teleport'");
            bad.sendText("{\"kind\":\"signal\",\"seq\":1,\"data\":\"x\"}");
            assertError(bad, WireError.MALFORMED_MESSAGE, "missing field 'type'");
            bad.sendText("{\"kind\":\"signal\",\"seq\":1,\"type\":\"t\",\"data\":42}");
            assertError(bad, WireError.MALFORMED_MESSAGE, "field 'data' has the wrong type");
            bad.sendText("[]");
            assertError(bad, WireError.MALFORMED_MESSAGE, "");
            assertThat(bad.isOpen()).isTrue();

            bad.send(new ClientMessage.Ping());
            assertThat(bad.skipTo(ServerMessage.Pong.class)).isNotNull();
            good.send(new ClientMessage.SendSignal(1L, "chat", "still fine", null));
            assertThat(bad.skipTo(ServerMessage.Signal.class).data()).isEqualTo("still fine");
            assertThat(good.skipTo(ServerMessage.Signal.class).data()).isEqualTo("still fine");
        }
    }

    @Test
    @DisplayName("a message other than connect before connecting is answered with not connected")
    void signalBeforeConnect() throws Exception {
        try (RawClient c = RawClient.open(fx.server)) {
            c.send(new ClientMessage.SendSignal(1L, "t", "x", null));
            assertError(c, WireError.NOT_CONNECTED, "first message must be 'connect'");
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    @DisplayName("a frame over 64 KiB closes the socket with 1009; others go on")
    void oversizedFrame() throws Exception {
        try (RawClient big = fx.join(); RawClient other = fx.join()) {
            big.sendText("{\"kind\":\"ping\",\"pad\":\"" + "x".repeat(Limits.MAX_FRAME_BYTES) + "\"}");
            assertThat(big.awaitClose().getCloseCode().getCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
            assertThat(other.skipTo(ServerMessage.Left.class).connectionId()).isEqualTo(big.selfId());
            other.send(new ClientMessage.Ping());
            assertThat(other.skipTo(ServerMessage.Pong.class)).isNotNull();
        }
    }

    @Test
    @DisplayName("a binary frame closes the socket with 1003")
    void binaryFrame() throws Exception {
        try (RawClient c = fx.join()) {
            c.sendBinary(new byte[] {1, 2, 3});
            CloseReason reason = c.awaitClose();
            assertThat(reason.getCloseCode().getCode()).isEqualTo(CloseCodes.UNSUPPORTED_DATA);
            assertThat(reason.getReasonPhrase()).contains("binary");
        }
    }

    @Test
    @DisplayName("a socket that never authenticates is closed after the timeout")
    void authenticationTimeout() throws Exception {
        try (ServerFixture quick = new ServerFixture(c -> c.withAuthTimeout(Duration.ofMillis(700)));
             RawClient c = RawClient.open(quick.server)) {
            CloseReason reason = c.awaitClose(Duration.ofSeconds(5));
            assertThat(reason.getCloseCode().getCode()).isEqualTo(CloseCodes.AUTHENTICATION_TIMEOUT);
            assertError(c, WireError.AUTHENTICATION_FAILED, "no connect message");
        }
    }

    @Test
    @DisplayName("a client of another protocol version gets a clear error and a close, not a hang")
    void protocolVersionMismatch() throws Exception {
        try (RawClient c = RawClient.open(fx.server)) {
            c.send(new ClientMessage.Connect(99, fx.sessionId, fx.token()));
            assertError(c, WireError.UNSUPPORTED_PROTOCOL, "speaks protocol version 1; the client speaks version 99");
            assertThat(c.awaitClose().getCloseCode().getCode()).isEqualTo(CloseCodes.UNSUPPORTED_PROTOCOL);
        }
    }

    @Test
    @DisplayName("a forged token, a token of another session and a foreign session id are refused with reasons")
    void badCredentials() throws Exception {
        try (RawClient c = RawClient.open(fx.server)) {
            String token = fx.token();
            c.send(new ClientMessage.Connect(1, fx.sessionId, token.substring(0, token.length() - 3) + "abc"));
            assertThat(c.expect(ServerMessage.Error.class).code()).isEqualTo(WireError.AUTHENTICATION_FAILED.code());
            assertThat(c.awaitClose().getCloseCode().getCode()).isEqualTo(CloseCodes.AUTHENTICATION_FAILED);
        }
        try (RawClient c = RawClient.open(fx.server)) {
            c.send(new ClientMessage.Connect(1, fx.sessionId, fx.tokenFor(fx.server.createSessionId())));
            assertThat(c.expect(ServerMessage.Error.class).code()).isEqualTo(WireError.AUTHENTICATION_FAILED.code());
            assertThat(c.awaitClose().getCloseCode().getCode()).isEqualTo(CloseCodes.AUTHENTICATION_FAILED);
        }
        try (RawClient c = RawClient.open(fx.server)) {
            c.send(new ClientMessage.Connect(1, "1_bm90LWEtc2Vzc2lvbg", fx.token()));
            assertError(c, WireError.INVALID_SESSION_ID, "not a session id");
            assertThat(c.awaitClose().getCloseCode().getCode()).isEqualTo(CloseCodes.AUTHENTICATION_FAILED);
        }
    }

    @Test
    @DisplayName("a client that leaves is closed with 1000 and the others see it leave as client disconnected")
    void leave() throws Exception {
        try (RawClient a = fx.join(); RawClient b = fx.join()) {
            b.send(new ClientMessage.Leave());
            assertThat(b.awaitClose().getCloseCode().getCode()).isEqualTo(CloseCodes.NORMAL);
            ServerMessage.Left left = a.skipTo(ServerMessage.Left.class);
            assertThat(left.connectionId()).isEqualTo(b.selfId());
            assertThat(left.reason()).isEqualTo(Reason.CLIENT_DISCONNECTED);
        }
    }

    @Test
    @DisplayName("stopping the server closes every socket with 1001, which clients treat as a lost link")
    void shutdownGoesAway() throws Exception {
        try (RawClient a = fx.join()) {
            fx.server.close();
            assertThat(a.awaitClose().getCloseCode().getCode()).isEqualTo(CloseCodes.GOING_AWAY);
        }
    }

    private static void assertNack(RawClient c, long seq, WireError error) throws Exception {
        ServerMessage.Nack nack = c.skipTo(ServerMessage.Nack.class);
        assertThat(nack.seq()).isEqualTo(seq);
        assertThat(WireError.fromCode(nack.code())).isEqualTo(error);
        assertThat(nack.message()).isNotBlank();
    }

    private static void assertError(RawClient c, WireError error, String text) throws Exception {
        ServerMessage.Error e = c.skipTo(ServerMessage.Error.class);
        assertThat(WireError.fromCode(e.code())).isEqualTo(error);
        assertThat(e.message()).contains(text);
    }
}
