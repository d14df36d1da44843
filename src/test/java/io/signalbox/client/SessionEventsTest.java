package io.signalbox.client;

import static io.signalbox.client.SessionFixture.SELF;
import static io.signalbox.client.SessionFixture.WAIT;
import static io.signalbox.client.SessionFixture.info;
import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SessionEventsTest {
    private static final long ROUTED_AT = 1_767_225_601_234L;

    private final SessionFixture fx = new SessionFixture();
    private final Session session = fx.session;
    private final RecordingListener listener = fx.listener;

    @Test
    @DisplayName("a signal from a known connection carries that connection, whether it was direct, and the server's routing time")
    void signalFromKnownConnection() {
        FakeTransport transport = fx.join("alice");

        transport.receives(new ServerMessage.Signal("chat", "hello", "alice", true, ROUTED_AT));

        Signal signal = listener.assertSignal("chat", "hello", "alice");
        assertThat(signal.from().getData()).as("the known connection, with its data").isEqualTo("data of alice");
        assertThat(signal.direct()).isTrue();
        assertThat(signal.time()).isEqualTo(Instant.ofEpochMilli(ROUTED_AT));
    }

    @Test
    @DisplayName("this client's own signal to everyone comes back from its own connection, not direct")
    void ownSignalEchoed() {
        FakeTransport transport = fx.join();

        transport.receives(new ServerMessage.Signal("chat", "to all", SELF, false, ROUTED_AT));

        Signal signal = listener.assertSignal("chat", "to all", SELF);
        assertThat(signal.from()).isSameAs(session.getConnection());
        assertThat(signal.direct()).isFalse();
    }

    @Test
    @DisplayName("a signal from the server (REST) has a null sender")
    void signalFromServer() {
        FakeTransport transport = fx.join();

        transport.receives(new ServerMessage.Signal("notice", "maintenance at noon", null, false, ROUTED_AT));

        listener.assertSignal("notice", "maintenance at noon", null);
    }

    @Test
    @DisplayName("a signal from a connection the client was not told of still has a sender, known by its id")
    void signalFromUnknownConnection() {
        FakeTransport transport = fx.join();

        transport.receives(new ServerMessage.Signal("chat", "hi", "stranger", false, ROUTED_AT));

        Signal signal = listener.assertSignal("chat", "hi", "stranger");
        assertThat(signal.from().getCreationTime()).isEqualTo(Instant.EPOCH);
        assertThat(session.getConnections()).extracting(Connection::getConnectionId).containsExactly(SELF);
    }

    @Test
    @DisplayName("a join is reported with onConnectionCreated and listed; a repeated join is not reported twice")
    void joined() {
        FakeTransport transport = fx.join();

        transport.receives(new ServerMessage.Joined(info("bob")));
        transport.receives(new ServerMessage.Joined(info("bob")));

        Connection bob = listener.assertConnectionCreated("bob");
        assertThat(bob.getData()).isEqualTo("data of bob");
        assertThat(session.getConnections()).extracting(Connection::getConnectionId).containsExactly(SELF, "bob");
        listener.assertExhausted(Duration.ofMillis(100));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Reason.class)
    @DisplayName("a leave is reported with onConnectionDestroyed and its reason, and the connection is no longer listed")
    void left(Reason reason) {
        FakeTransport transport = fx.join("alice");

        transport.receives(new ServerMessage.Left("alice", reason));

        listener.assertConnectionDestroyed("alice", DisconnectReason.valueOf(reason.name()));
        assertThat(session.getConnections()).extracting(Connection::getConnectionId).containsExactly(SELF);
    }

    @Test
    @DisplayName("the leave of an unknown connection is not reported (it was never reported as created)")
    void leftUnknown() {
        FakeTransport transport = fx.join();

        transport.receives(new ServerMessage.Left("stranger", Reason.CLIENT_DISCONNECTED));
        transport.receives(new ServerMessage.Signal("chat", "still here", null, false, ROUTED_AT));

        listener.assertSignal("chat", "still here", null);
    }

    @Test
    @DisplayName("an error from the server while connected goes to onError, and the session goes on")
    void nonFatalError() {
        FakeTransport transport = fx.join();

        transport.receives(new ServerMessage.Error(1400, "field 'seq' has the wrong type"));

        assertThat(listener.assertError(ErrorCode.MALFORMED_MESSAGE)).hasMessage("field 'seq' has the wrong type");
        CompletableFuture<Void> sent = session.sendSignal("chat", "still works");
        transport.takeSent(ClientMessage.SendSignal.class);
        transport.receives(new ServerMessage.Ack(1L));
        assertThat(sent).succeedsWithin(WAIT);
    }

    @Test
    @DisplayName("a frame the SDK cannot read, or a kind it does not know, goes to onError as MALFORMED_MESSAGE, and the session goes on")
    void undecodableFrames() {
        FakeTransport transport = fx.join();

        transport.receivesRaw("this is not json");
        transport.receivesRaw("{\"kind\":\"surprise\"}");
        transport.receivesRaw("{\"kind\":\"signal\",\"type\":\"chat\"}");
        transport.receives(new ServerMessage.Signal("chat", "after the noise", null, false, ROUTED_AT));

        listener.assertError(ErrorCode.MALFORMED_MESSAGE);
        assertThat(listener.assertError(ErrorCode.MALFORMED_MESSAGE)).hasMessageContaining("surprise");
        listener.assertError(ErrorCode.MALFORMED_MESSAGE);
        listener.assertSignal("chat", "after the noise", null);
    }

    @Test
    @DisplayName("a message out of place (a second connected, a resumed) goes to onError, and the session goes on")
    void outOfPlace() {
        FakeTransport transport = fx.join();

        transport.receives(SessionFixture.connected(0, "ghost"));
        transport.receives(new ServerMessage.Resumed(0L, 0, 0, List.of()));

        assertThat(listener.assertError(ErrorCode.MALFORMED_MESSAGE)).hasMessageContaining("Connected");
        assertThat(listener.assertError(ErrorCode.MALFORMED_MESSAGE)).hasMessageContaining("Resumed");
        assertThat(session.getConnections()).extracting(Connection::getConnectionId).containsExactly(SELF);
    }

    @Test
    @DisplayName("a listener that throws does not stop later events nor the futures")
    void throwingListener() {
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        FakeTransportFactory transports = new FakeTransportFactory();
        Session throwing = Session.builder(SessionFixture.SERVER, SessionFixture.SESSION_ID)
                .scheduler(fx.scheduler)
                .transportFactory(transports)
                .listener(new SessionListener() {
                    @Override
                    public void onConnected(Session s) {
                        throw new IllegalStateException("a bug in the app");
                    }

                    @Override
                    public void onSignalReceived(Session s, String type, String data, Connection from) {
                        heard.add(data);
                    }
                })
                .build();

        CompletableFuture<Void> joined = throwing.connect("token");
        FakeTransport transport = transports.next().opens();
        transport.receives(SessionFixture.connected(0));
        transport.receives(new ServerMessage.Signal("chat", "heard anyway", null, false, ROUTED_AT));

        assertThat(joined).succeedsWithin(WAIT);
        assertThat(poll(heard)).isEqualTo("heard anyway");
    }

    @Test
    @DisplayName("by default onSignal hands the signal's parts to onSignalReceived")
    void defaultOnSignal() {
        BlockingQueue<Object[]> heard = new LinkedBlockingQueue<>();
        SessionListener plain = new SessionListener() {
            @Override
            public void onSignalReceived(Session s, String type, String data, Connection from) {
                heard.add(new Object[] {s, type, data, from});
            }
        };
        Connection alice = new Connection("alice", Instant.EPOCH, "");

        plain.onSignal(session, new Signal("chat", "hi", alice, true, Instant.EPOCH));

        assertThat(heard.poll()).containsExactly(session, "chat", "hi", alice);
    }

    @Test
    @DisplayName("the listener is called on the session's event thread, one call at a time")
    void eventThread() {
        FakeTransport transport = fx.join("alice");
        for (int i = 0; i < 50; i++) {
            transport.receives(new ServerMessage.Signal("chat", Integer.toString(i), "alice", false, ROUTED_AT));
        }
        for (int i = 0; i < 50; i++) listener.assertSignal("chat", Integer.toString(i), "alice");
        // RecordingListener checks the thread's name and that no two calls overlap.
        listener.assertExhausted();
    }

    private static <T> T poll(BlockingQueue<T> queue) {
        try {
            return queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
