package io.signalbox.client;

import static io.signalbox.client.SessionFixture.WAIT;
import static io.signalbox.client.SessionFixture.failedAtOnce;
import static io.signalbox.client.SessionFixture.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.client.internal.RealSession;
import io.signalbox.client.internal.SessionState;
import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.CloseCodes;
import io.signalbox.protocol.ServerMessage;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SessionDisconnectTest {
    private final SessionFixture fx = new SessionFixture();
    private final Session session = fx.session;
    private final RecordingListener listener = fx.listener;

    @Test
    @DisplayName("disconnect with nothing in flight says leave, and on the server's close reports CLIENT_DISCONNECTED, then completes")
    void disconnectNothingInFlight() {
        FakeTransport transport = fx.join("alice");

        CompletableFuture<Void> left = session.disconnect();
        left.whenComplete((ok, failure) -> listener.mark("disconnect completed"));

        transport.takeSent(ClientMessage.Leave.class);
        listener.assertDisconnected(DisconnectReason.CLIENT_DISCONNECTED);
        listener.assertMark("disconnect completed");
        assertThat(session.getConnection()).isNull();
        assertThat(session.getConnections()).isEmpty();
        assertThat(session.getDisconnectMessage()).isNull();
        assertThat(fx.scheduler.pendingCount()).as("timers left").isZero();
    }

    @Test
    @DisplayName("disconnect waits for the acks of what was sent, and says leave as soon as the last one comes")
    void disconnectWaitsForAcks() {
        FakeTransport transport = fx.join();
        CompletableFuture<Void> one = session.sendSignal("chat", "one");
        CompletableFuture<Void> two = session.sendSignal("chat", "two");
        transport.takeSent(ClientMessage.SendSignal.class);
        transport.takeSent(ClientMessage.SendSignal.class);

        CompletableFuture<Void> left = session.disconnect();
        failedAtOnce(session.sendSignal("chat", "three"), ErrorCode.NOT_CONNECTED);
        transport.receives(new ServerMessage.Ack(1L));
        transport.assertNothingSent();
        transport.receives(new ServerMessage.Ack(2L));

        transport.takeSent(ClientMessage.Leave.class);
        assertThat(one).succeedsWithin(WAIT);
        assertThat(two).succeedsWithin(WAIT);
        assertThat(left).succeedsWithin(WAIT);
        listener.assertDisconnected(DisconnectReason.CLIENT_DISCONNECTED);
    }

    @Test
    @DisplayName("disconnect waits at most the disconnect timeout for acks, then fails the rest with NOT_CONNECTED and leaves")
    void disconnectGiveUpOnAcks() {
        FakeTransport transport = fx.join();
        CompletableFuture<Void> one = session.sendSignal("chat", "one");
        CompletableFuture<Void> two = session.sendSignal("chat", "two");
        transport.receives(new ServerMessage.Ack(1L));

        CompletableFuture<Void> left = session.disconnect();
        fx.scheduler.advance(Duration.ofMillis(1999));
        assertThat(two).isNotDone();
        fx.scheduler.advance(Duration.ofMillis(1));

        assertThat(one).succeedsWithin(WAIT);
        assertThat(failure(two, ErrorCode.NOT_CONNECTED).getMessage()).contains("disconnect()");
        transport.takeSent(ClientMessage.SendSignal.class);
        transport.takeSent(ClientMessage.SendSignal.class);
        transport.takeSent(ClientMessage.Leave.class);
        assertThat(left).succeedsWithin(WAIT);
        listener.assertDisconnected(DisconnectReason.CLIENT_DISCONNECTED);
    }

    @Test
    @DisplayName("disconnect is idempotent: the same future while disconnecting, one onDisconnected, a done future after")
    void disconnectIdempotent() {
        FakeTransport transport = fx.join();
        transport.closeOnLeave(false);

        CompletableFuture<Void> first = session.disconnect();
        CompletableFuture<Void> second = session.disconnect();
        assertThat(second).isSameAs(first);
        transport.takeSent(ClientMessage.Leave.class);
        transport.serverCloses(CloseCodes.NORMAL, "");

        assertThat(first).succeedsWithin(WAIT);
        listener.assertDisconnected(DisconnectReason.CLIENT_DISCONNECTED);
        assertThat(session.disconnect()).isDone();
        listener.assertExhausted(Duration.ofMillis(100));
        transport.assertNothingSent();
    }

    @Test
    @DisplayName("disconnect does not wait for ever for the server's close: after the timeout the link is dropped")
    void disconnectCloseNeverComes() {
        FakeTransport transport = fx.join();
        transport.closeOnLeave(false);

        CompletableFuture<Void> left = session.disconnect();
        transport.takeSent(ClientMessage.Leave.class);
        fx.scheduler.advance(Duration.ofMillis(1999));
        assertThat(left).isNotDone();
        fx.scheduler.advance(Duration.ofMillis(1));

        assertThat(left).succeedsWithin(WAIT);
        listener.assertDisconnected(DisconnectReason.CLIENT_DISCONNECTED);
        assertThat(transport.aborted()).isTrue();
    }

    @Test
    @DisplayName("a final close or a drop while disconnecting still ends as CLIENT_DISCONNECTED: the client asked to go")
    void closeWhileDisconnecting() {
        FakeTransport transport = fx.join();
        session.sendSignal("chat", "pending");

        CompletableFuture<Void> left = session.disconnect();
        transport.serverCloses(CloseCodes.FORCE_DISCONNECTED, "removed by moderator");

        assertThat(left).succeedsWithin(WAIT);
        listener.assertDisconnected(DisconnectReason.CLIENT_DISCONNECTED);
    }

    @Test
    @DisplayName("disconnect before connect completes at once and reports nothing")
    void disconnectNeverConnected() {
        assertThat(session.disconnect()).isCompleted();
        listener.assertExhausted(Duration.ofMillis(100));
    }

    static Stream<Arguments> finalCloses() {
        return Stream.of(
                Arguments.of(CloseCodes.FORCE_DISCONNECTED, "removed by a moderator", DisconnectReason.FORCE_DISCONNECTED),
                Arguments.of(CloseCodes.SESSION_ENDED, "the host ended the session", DisconnectReason.SERVER_CLOSED),
                Arguments.of(CloseCodes.TOO_SLOW, "too slow to read", DisconnectReason.SERVER_CLOSED),
                Arguments.of(CloseCodes.FLOODING, "too many signals", DisconnectReason.SERVER_CLOSED));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("finalCloses")
    @DisplayName("a final close from the server ends the session with its reason, and the server's words in getDisconnectMessage")
    void finalClose(int code, String words, DisconnectReason expected) {
        FakeTransport transport = fx.join("alice");
        CompletableFuture<Void> pending = session.sendSignal("chat", "in flight");

        transport.serverCloses(code, words);

        listener.assertDisconnected(expected);
        assertThat(session.getDisconnectMessage()).isEqualTo(words);
        // The server may have routed it before closing: its fate cannot be known.
        failure(pending, ErrorCode.DELIVERY_UNKNOWN);
        assertThat(transport.aborted()).isTrue();
        assertThat(((RealSession) session).state()).isEqualTo(SessionState.DISCONNECTED);
        listener.assertExhausted(Duration.ofMillis(100));
    }

    @Test
    @DisplayName("the server's words can be read inside onDisconnected")
    void disconnectMessageInsideListener() {
        List<String> read = new CopyOnWriteArrayList<>();
        FakeTransportFactory transports = new FakeTransportFactory();
        Session s = Session.builder(SessionFixture.SERVER, SessionFixture.SESSION_ID)
                .scheduler(fx.scheduler)
                .transportFactory(transports)
                .listener(new SessionListener() {
                    @Override
                    public void onDisconnected(Session session, DisconnectReason reason) {
                        read.add(reason + ": " + session.getDisconnectMessage());
                    }
                })
                .build();
        CompletableFuture<Void> joined = s.connect("token");
        FakeTransport transport = transports.next().opens();
        transport.receives(SessionFixture.connected(0));
        assertThat(joined).succeedsWithin(WAIT);

        transport.serverCloses(CloseCodes.FORCE_DISCONNECTED, "bye");

        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !read.isEmpty());
        assertThat(read).containsExactly("FORCE_DISCONNECTED: bye");
    }

    @ParameterizedTest(name = "close code {0}")
    @ValueSource(ints = {CloseCodes.NORMAL, CloseCodes.GOING_AWAY, 1006, 1011, CloseCodes.MESSAGE_TOO_BIG})
    @DisplayName("any other close while connected is a lost link: the session reconnects")
    void otherClose(int code) {
        FakeTransport transport = fx.join();

        transport.serverCloses(code, "going");

        listener.assertReconnecting();
        assertThat(((RealSession) session).state()).isEqualTo(SessionState.RECONNECTING);
        assertThat(session.getConnection()).as("still the same connection").isNotNull();
    }

    @Test
    @DisplayName("a link lost for good leaves no future pending: unacknowledged ones fail DELIVERY_UNKNOWN, later sends NOT_CONNECTED")
    void networkLossFailsInFlight() {
        FakeTransport transport = fx.join();
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) sent.add(session.sendSignal("chat", "m" + i));
        transport.receives(new ServerMessage.Ack(2L));

        transport.fails(new IOException("connection reset"));
        listener.assertReconnecting();
        fx.transports.refuseAll(new IOException("network unreachable"));
        fx.scheduler.advance(Duration.ofSeconds(61));

        listener.assertDisconnected(DisconnectReason.NETWORK_DISCONNECTED);
        assertThat(session.getDisconnectMessage()).contains("reconnection window");
        assertThat(sent.get(1)).succeedsWithin(WAIT);
        for (int i : new int[] {0, 2, 3, 4}) failure(sent.get(i), ErrorCode.DELIVERY_UNKNOWN);
        failedAtOnce(session.sendSignal("chat", "after"), ErrorCode.NOT_CONNECTED);
        assertThat(fx.scheduler.pendingCount()).as("timers left").isZero();
        assertThat(session.disconnect()).isDone();
    }

    @Test
    @DisplayName("the client pings every heartbeat interval with the count of signals received, and counts anything heard as a sign of life")
    void heartbeat() {
        FakeTransport transport = fx.join(1000);

        fx.scheduler.advance(Duration.ofSeconds(1));
        assertThat(transport.takeSent(ClientMessage.Ping.class).received()).isZero();
        transport.receives(new ServerMessage.Pong());
        fx.scheduler.advance(Duration.ofSeconds(1));
        transport.takeSent(ClientMessage.Ping.class);
        transport.receives(new ServerMessage.Signal("chat", "one", null, false, 0L));
        transport.receives(new ServerMessage.Signal("chat", "two", null, false, 0L));
        fx.scheduler.advance(Duration.ofSeconds(1));
        assertThat(transport.takeSent(ClientMessage.Ping.class).received()).as("signals received so far").isEqualTo(2L);
        listener.assertSignal("chat", "one", null);
        listener.assertSignal("chat", "two", null);

        listener.assertExhausted(Duration.ofMillis(50));
    }

    @Test
    @DisplayName("a link silent for the dead-link timeout (10 s by default) is taken as dead: dropped, and the session reconnects")
    void deadLink() {
        FakeTransport transport = fx.join(1000);
        CompletableFuture<Void> pending = session.sendSignal("chat", "into the void");

        fx.scheduler.advance(Duration.ofSeconds(9));
        listener.assertExhausted(Duration.ofMillis(50));
        assertThat(transport.aborted()).isFalse();
        fx.scheduler.advance(Duration.ofSeconds(1));

        listener.assertReconnecting();
        assertThat(transport.aborted()).isTrue();
        assertThat(pending).as("still in flight: the resume will say whether it arrived").isNotDone();
    }

    @Test
    @DisplayName("the heartbeat stops on disconnect")
    void heartbeatStopsOnDisconnect() {
        FakeTransport transport = fx.join(1000);

        assertThat(session.disconnect()).succeedsWithin(WAIT);
        transport.takeSent(ClientMessage.Leave.class);
        fx.scheduler.advance(Duration.ofSeconds(5));

        transport.assertNothingSent();
        assertThat(fx.scheduler.pendingCount()).isZero();
    }
}
