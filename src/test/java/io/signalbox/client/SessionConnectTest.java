package io.signalbox.client;

import static io.signalbox.client.SessionFixture.SELF;
import static io.signalbox.client.SessionFixture.SESSION_ID;
import static io.signalbox.client.SessionFixture.WAIT;
import static io.signalbox.client.SessionFixture.connected;
import static io.signalbox.client.SessionFixture.failedAtOnce;
import static io.signalbox.client.SessionFixture.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signalbox.client.internal.RealSession;
import io.signalbox.client.internal.SessionState;
import io.signalbox.client.internal.Transport;
import io.signalbox.client.internal.TransportListener;
import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.CloseCodes;
import io.signalbox.protocol.Limits;
import io.signalbox.protocol.ServerMessage;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SessionConnectTest {
    private final SessionFixture fx = new SessionFixture();
    private final Session session = fx.session;
    private final RecordingListener listener = fx.listener;

    @Test
    @DisplayName("connect opens ws://host:port/ws and says connect with the protocol version, session id and token")
    void connectSendsConnect() {
        session.connect("the-token");
        FakeTransport transport = fx.transports.next();
        assertThat(transport.uri()).isEqualTo(URI.create("ws://127.0.0.1:8080/ws"));

        transport.opens();

        assertThat(transport.takeSent(ClientMessage.Connect.class))
                .isEqualTo(new ClientMessage.Connect(Limits.PROTOCOL_VERSION, SESSION_ID, "the-token"));
    }

    @Test
    @DisplayName("connection data given to the builder is offered in the connect message")
    void connectOffersData() {
        FakeTransportFactory transports = new FakeTransportFactory();
        Session named = Session.builder(SessionFixture.SERVER, SESSION_ID)
                .scheduler(fx.scheduler)
                .transportFactory(transports)
                .connectionData("name=Eve")
                .build();
        named.connect("the-token");
        FakeTransport transport = transports.next().opens();

        assertThat(transport.takeSent(ClientMessage.Connect.class).data()).isEqualTo("name=Eve");
        assertThatThrownBy(() -> Session.builder(SessionFixture.SERVER, SESSION_ID).connectionData("x".repeat(1001)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("on joining: onConnected, then onConnectionCreated for each other connection, then the future completes with everyone listed")
    void joinOrder() {
        CompletableFuture<Void> joined = session.connect("token");
        AtomicReference<List<Connection>> listedAtCompletion = new AtomicReference<>();
        joined.whenComplete((ok, failure) -> {
            listedAtCompletion.set(session.getConnections());
            listener.mark("connect completed");
        });
        FakeTransport transport = fx.transports.next().opens();
        transport.takeSent(ClientMessage.Connect.class);
        assertThat(joined).isNotDone();

        transport.receives(connected(0, "alice", "bob"));

        listener.assertConnected();
        Connection alice = listener.assertConnectionCreated("alice");
        listener.assertConnectionCreated("bob");
        listener.assertMark("connect completed");
        listener.assertExhausted();
        assertThat(listedAtCompletion.get()).extracting(Connection::getConnectionId)
                .containsExactly(SELF, "alice", "bob");
        assertThat(alice.getData()).isEqualTo("data of alice");
        assertThat(alice.getCreationTime()).isEqualTo(Instant.ofEpochMilli(SessionFixture.CREATED_AT));
    }

    @Test
    @DisplayName("once joined, getConnection is this client's own connection and getConnections an unmodifiable list of everyone")
    void selfAndConnections() {
        assertThat(session.getConnection()).isNull();
        assertThat(session.getConnections()).isEmpty();

        fx.join("alice");

        assertThat(session.getConnection().getConnectionId()).isEqualTo(SELF);
        assertThat(session.getConnection().getData()).isEqualTo("data of me");
        List<Connection> everyone = session.getConnections();
        assertThat(everyone).extracting(Connection::getConnectionId).containsExactly(SELF, "alice");
        assertThatThrownBy(() -> everyone.add(new Connection("x", Instant.EPOCH, "")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(session.getSessionId()).isEqualTo(SESSION_ID);
    }

    @Test
    @DisplayName("a refused token fails connect with AUTHENTICATION_FAILED and the server's words, and reports nothing to the listener")
    void authenticationFailed() {
        CompletableFuture<Void> joined = session.connect("bad-token");
        FakeTransport transport = fx.transports.next().opens();
        transport.takeSent(ClientMessage.Connect.class);

        transport.receives(new ServerMessage.Error(1004, "the token has expired"));
        assertThat(joined).isNotDone();
        transport.serverCloses(CloseCodes.AUTHENTICATION_FAILED, "authentication failed");

        SignalingException failure = failure(joined, ErrorCode.AUTHENTICATION_FAILED);
        assertThat(failure.getMessage()).isEqualTo("the token has expired");
        assertThat(transport.aborted()).as("the link is released").isTrue();
        assertThat(((RealSession) session).state()).isEqualTo(SessionState.DISCONNECTED);
        listener.assertExhausted(Duration.ofMillis(100));
    }

    @Test
    @DisplayName("the server's error code wins over the close code: an unknown session id fails connect with INVALID_SESSION_ID")
    void invalidSessionId() {
        CompletableFuture<Void> joined = session.connect("token");
        FakeTransport transport = fx.transports.next().opens();

        transport.receives(new ServerMessage.Error(1005, "no such session"));
        transport.serverCloses(CloseCodes.AUTHENTICATION_FAILED, "refused");

        assertThat(failure(joined, ErrorCode.INVALID_SESSION_ID)).hasMessage("no such session");
    }

    @Test
    @DisplayName("a 4012 close while connecting, without an error message, fails connect with UNSUPPORTED_PROTOCOL and the close reason")
    void unsupportedProtocolByCloseCode() {
        CompletableFuture<Void> joined = session.connect("token");
        FakeTransport transport = fx.transports.next().opens();

        transport.serverCloses(CloseCodes.UNSUPPORTED_PROTOCOL, "protocol 1 is not spoken here");

        assertThat(failure(joined, ErrorCode.UNSUPPORTED_PROTOCOL)).hasMessage("protocol 1 is not spoken here");
    }

    @Test
    @DisplayName("a 4010 close with no reason still fails connect with AUTHENTICATION_FAILED and a readable message")
    void authenticationFailedByCloseCodeAlone() {
        CompletableFuture<Void> joined = session.connect("token");
        fx.transports.next().opens().serverCloses(CloseCodes.AUTHENTICATION_FAILED, "");

        assertThat(failure(joined, ErrorCode.AUTHENTICATION_FAILED).getMessage()).contains("4010");
    }

    @Test
    @DisplayName("an ordinary close while connecting fails connect with CONNECT_FAILED")
    void closeWhileConnecting() {
        CompletableFuture<Void> joined = session.connect("token");
        fx.transports.next().opens().serverCloses(CloseCodes.GOING_AWAY, "shutting down");

        assertThat(failure(joined, ErrorCode.CONNECT_FAILED)).hasMessage("shutting down");
    }

    @Test
    @DisplayName("a server that cannot be reached fails connect with CONNECT_FAILED, the network's words and its exception")
    void networkFailureAtConnect() {
        CompletableFuture<Void> joined = session.connect("token");
        ConnectException refused = new ConnectException("Connection refused");

        fx.transports.next().fails(refused);

        SignalingException failure = failure(joined, ErrorCode.CONNECT_FAILED);
        assertThat(failure.getMessage()).contains("ws://127.0.0.1:8080/ws").contains("Connection refused");
        assertThat(failure).hasCause(refused);
        listener.assertExhausted(Duration.ofMillis(100));
    }

    @Test
    @DisplayName("a server that does not answer within the connect timeout fails connect with CONNECT_FAILED and the link is dropped")
    void connectTimeout() {
        CompletableFuture<Void> joined = session.connect("token");
        FakeTransport transport = fx.transports.next().opens();
        transport.takeSent(ClientMessage.Connect.class);

        fx.scheduler.advance(Duration.ofSeconds(10).minusMillis(1));
        assertThat(joined).isNotDone();
        fx.scheduler.advance(Duration.ofMillis(1));

        assertThat(failure(joined, ErrorCode.CONNECT_FAILED).getMessage()).contains("10 s");
        assertThat(transport.aborted()).isTrue();
        transport.receives(connected(0, "alice"));
        listener.assertExhausted(Duration.ofMillis(100));
        assertThat(session.getConnection()).as("a late answer is ignored").isNull();
    }

    @Test
    @DisplayName("an error the server sent while connecting is what a connect timeout reports")
    void timeoutAfterError() {
        CompletableFuture<Void> joined = session.connect("token");
        FakeTransport transport = fx.transports.next().opens();
        transport.receives(new ServerMessage.Error(1004, "token expired at noon"));

        fx.scheduler.advance(Duration.ofSeconds(10));

        assertThat(failure(joined, ErrorCode.AUTHENTICATION_FAILED)).hasMessage("token expired at noon");
    }

    @Test
    @DisplayName("connect while connecting or connected fails with ILLEGAL_STATE and leaves the session as it was")
    void connectTwice() {
        CompletableFuture<Void> first = session.connect("token");
        failedAtOnce(session.connect("token"), ErrorCode.ILLEGAL_STATE);
        FakeTransport transport = fx.transports.next().opens();
        transport.takeSent(ClientMessage.Connect.class);
        transport.receives(connected(0));
        assertThat(first).succeedsWithin(WAIT);
        listener.assertConnected();

        assertThat(failedAtOnce(session.connect("token"), ErrorCode.ILLEGAL_STATE).getMessage()).contains("connected");

        assertThat(fx.transports.noneMade()).isTrue();
        assertThat(session.getConnection().getConnectionId()).isEqualTo(SELF);
    }

    @Test
    @DisplayName("a session connects again after a disconnect, as a new connection whose signals count from seq 1")
    void connectAgainAfterDisconnect() {
        FakeTransport first = fx.join();
        session.sendSignal("chat", "one");
        first.takeSent(ClientMessage.SendSignal.class);
        first.receives(new ServerMessage.Ack(1L));
        assertThat(session.disconnect()).succeedsWithin(WAIT);
        listener.assertDisconnected(DisconnectReason.CLIENT_DISCONNECTED);

        FakeTransport second = fx.join("alice");
        session.sendSignal("chat", "two");

        assertThat(second).isNotSameAs(first);
        assertThat(second.takeSent(ClientMessage.SendSignal.class).seq()).isEqualTo(1L);
    }

    @Test
    @DisplayName("disconnect before the link opens abandons the connect: it fails with NOT_CONNECTED, the link is dropped, no event")
    void disconnectBeforeOpen() {
        CompletableFuture<Void> joined = session.connect("token");
        FakeTransport transport = fx.transports.next();

        CompletableFuture<Void> left = session.disconnect();

        assertThat(failure(joined, ErrorCode.NOT_CONNECTED).getMessage()).contains("before the session was joined");
        assertThat(left).succeedsWithin(WAIT);
        assertThat(transport.aborted()).isTrue();
        listener.assertExhausted(Duration.ofMillis(100));
    }

    @Test
    @DisplayName("disconnect after connect was sent abandons the connect and says leave, so the server does not hold the connection")
    void disconnectAfterConnectSent() {
        CompletableFuture<Void> joined = session.connect("token");
        FakeTransport transport = fx.transports.next().opens();
        transport.takeSent(ClientMessage.Connect.class);

        CompletableFuture<Void> left = session.disconnect();

        failure(joined, ErrorCode.NOT_CONNECTED);
        assertThat(left).succeedsWithin(WAIT);
        transport.takeSent(ClientMessage.Leave.class);
        transport.awaitClosedWith(CloseCodes.NORMAL);
        listener.assertExhausted(Duration.ofMillis(100));
    }

    @Test
    @DisplayName("a transport that fails to open at once fails connect with CONNECT_FAILED")
    void transportThrowsOnOpen() {
        Session throwing = Session.builder(SessionFixture.SERVER, SESSION_ID)
                .scheduler(fx.scheduler)
                .transportFactory(() -> new Transport() {
                    @Override
                    public void open(URI uri, TransportListener l) {
                        throw new IllegalStateException("no network here");
                    }

                    @Override
                    public void send(String frame) {}

                    @Override
                    public void close(int code, String reason) {}

                    @Override
                    public void abort() {}
                })
                .build();

        assertThat(failure(throwing.connect("token"), ErrorCode.CONNECT_FAILED).getMessage()).contains("no network here");
    }

    @Test
    @DisplayName("connect with a null token throws NullPointerException (a programming error, not a failure)")
    void nullToken() {
        assertThatThrownBy(() -> session.connect(null)).isInstanceOf(NullPointerException.class);
    }
}
