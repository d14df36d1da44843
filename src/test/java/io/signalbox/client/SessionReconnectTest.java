package io.signalbox.client;

import static io.signalbox.client.SessionFixture.WAIT;
import static io.signalbox.client.SessionFixture.failedAtOnce;
import static io.signalbox.client.SessionFixture.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.client.internal.RealSession;
import io.signalbox.client.internal.SessionState;
import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.CloseCodes;
import io.signalbox.protocol.ConnectionInfo;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.protocol.WireError;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Reconnection on a fake link and fake time: backoff, the window, the queue and the settling of what was
 * in flight, without sleeping.
 */
class SessionReconnectTest {
    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final FakeTransportFactory transports = new FakeTransportFactory();
    private final RecordingListener listener = new RecordingListener();
    private final Extras extras = new Extras(listener);
    private Session session = build(1000);
    private FakeTransport transport;

    /** Jitter that always takes the top of the range, so waits are known: 250, 500, 1000 ... 5000 ms. */
    private static final RandomGenerator TOP = new RandomGenerator() {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    };

    private Session build(int maxQueued) {
        return Session.builder(SessionFixture.SERVER, SessionFixture.SESSION_ID)
                .listener(extras)
                .clock(clock)
                .scheduler(scheduler)
                .transportFactory(transports)
                .random(TOP)
                .maxQueuedSignals(maxQueued)
                .build();
    }

    private void join(String... others) {
        CompletableFuture<Void> joined = session.connect("token");
        transport = transports.next().opens();
        transport.takeSent(ClientMessage.Connect.class);
        transport.receives(SessionFixture.connected(0, others));
        assertThat(joined).succeedsWithin(WAIT);
        listener.assertConnected();
        for (String other : others) listener.assertConnectionCreated(other);
    }

    /** Drops the link and lets the first attempt open; returns the resume the session sent. */
    private ClientMessage.Resume dropAndReopen() {
        transport.fails(new IOException("connection reset"));
        listener.assertReconnecting();
        scheduler.advance(Duration.ofMillis(250));
        transport = transports.next().opens();
        return transport.takeSent(ClientMessage.Resume.class);
    }

    /** Moves time until the session makes its next link, and returns it. */
    private FakeTransport nextAttempt() {
        for (int i = 0; i < 200 && transports.noneMade(); i++) scheduler.advance(Duration.ofMillis(50));
        return transports.next();
    }

    private static ServerMessage.Resumed resumed(long lastSeq, int replayed, int missed, String... others) {
        List<ConnectionInfo> infos = java.util.Arrays.stream(others).map(SessionFixture::info).toList();
        return new ServerMessage.Resumed(lastSeq, replayed, missed, infos);
    }

    @Test
    @DisplayName("a signal given twice with the same sender and ref (a cluster moving the connection) reaches the app once; both copies count as received; signals without a ref are never dropped")
    void secondCopyByRefDropped() {
        join("bob");
        transport.receives(new ServerMessage.Signal("chat", "one", "bob", false, 1L, 7L));
        transport.receives(new ServerMessage.Signal("chat", "one", "bob", false, 1L, 7L));
        transport.receives(new ServerMessage.Signal("chat", "two", "bob", false, 2L, 8L));
        transport.receives(new ServerMessage.Signal("chat", "same ref, other sender", null, false, 3L, 7L));
        transport.receives(new ServerMessage.Signal("chat", "plain", "bob", false, 4L));
        transport.receives(new ServerMessage.Signal("chat", "plain", "bob", false, 4L));
        listener.assertSignal("chat", "one", "bob");
        listener.assertSignal("chat", "two", "bob");
        listener.assertSignal("chat", "same ref, other sender", null);
        listener.assertSignal("chat", "plain", "bob");
        listener.assertSignal("chat", "plain", "bob");

        ClientMessage.Resume resume = dropAndReopen();
        assertThat(resume.received()).as("the server numbered every copy").isEqualTo(6L);
        transport.receives(resumed(0, 1, 0, "bob"));
        transport.receives(new ServerMessage.Signal("chat", "two", "bob", false, 2L, 8L));
        transport.receives(new ServerMessage.Signal("chat", "three", "bob", false, 5L, 9L));
        listener.assertReconnected();
        listener.assertSignal("chat", "three", "bob");
        assertThat(listener.heard(RecordingListener.SignalReceived.class)).hasSize(6);
    }

    @Test
    @DisplayName("a lost link is resumed with the same connection, the resume secret and the count of signals received")
    void resumesSameConnection() {
        join("bob");
        transport.receives(new ServerMessage.Signal("chat", "one", "bob", false, 1L));
        transport.receives(new ServerMessage.Signal("chat", "two", null, true, 2L));
        listener.assertSignal("chat", "one", "bob");
        listener.assertSignal("chat", "two", null);

        ClientMessage.Resume resume = dropAndReopen();
        assertThat(resume.connectionId()).isEqualTo(SessionFixture.SELF);
        assertThat(resume.resumeToken()).isEqualTo("resume-secret");
        assertThat(resume.received()).isEqualTo(2L);
        assertThat(resume.sessionId()).isEqualTo(SessionFixture.SESSION_ID);

        transport.receives(resumed(0, 0, 0, "bob"));
        listener.assertReconnected();
        assertThat(session.getConnection().getConnectionId()).isEqualTo(SessionFixture.SELF);
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !extras.resumptions.isEmpty());
        assertThat(extras.resumptions).singleElement().satisfies(r -> {
            assertThat(r.attempts()).isEqualTo(1);
            assertThat(r.downtime()).isEqualTo(Duration.ofMillis(250));
        });
        listener.assertExhausted(Duration.ofMillis(50));
        assertThat(((RealSession) session).state()).isEqualTo(SessionState.CONNECTED);
    }

    @Test
    @DisplayName("attempts back off exponentially up to the cap, each announced with its number and time")
    void backoff() {
        join();
        transports.refuseAll(new IOException("network unreachable"));
        transport.fails(new IOException("connection reset"));
        listener.assertReconnecting();
        Instant lost = clock.instant();
        scheduler.advance(Duration.ofSeconds(30));
        // The listener hears of each attempt on the session's event thread.
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> extras.attempts.size() >= 7);
        List<Long> waits = new ArrayList<>();
        Instant previous = lost;
        for (var attempt : extras.attempts) {
            waits.add(Duration.between(previous, attempt.at()).toMillis());
            previous = attempt.at();
        }
        assertThat(extras.attempts).extracting(Attempt::number).startsWith(1, 2, 3, 4, 5, 6, 7);
        // Each attempt fails at once, so the waits are the ceilings themselves: doubling up to the 2 s cap.
        assertThat(waits).startsWith(250L, 500L, 1000L, 2000L, 2000L, 2000L, 2000L);
        assertThat(((RealSession) session).state()).isEqualTo(SessionState.RECONNECTING);
    }

    @Test
    @DisplayName("in flight at the drop: what arrived completes, what did not is sent again with the same seq, or fails when it asked not to be retried")
    void inFlightSettledByLastSeq() {
        join("bob");
        CompletableFuture<Void> one = session.sendSignal("t", "1");
        CompletableFuture<Void> two = session.sendSignal("t", "2");
        CompletableFuture<Void> three = session.sendSignal("t", "3", SignalOptions.builder().retryAfterReconnect(false).build());
        CompletableFuture<Void> four = session.sendSignal("t", "4");
        for (int i = 0; i < 4; i++) transport.takeSent(ClientMessage.SendSignal.class);
        transport.receives(new ServerMessage.Ack(1L));
        assertThat(one).succeedsWithin(WAIT);

        dropAndReopen();
        transport.receives(resumed(2, 0, 0, "bob"));

        assertThat(two).as("arrived before the drop: its ack was lost").succeedsWithin(WAIT);
        failure(three, ErrorCode.NOT_CONNECTED);
        ClientMessage.SendSignal again = transport.takeSent(ClientMessage.SendSignal.class);
        assertThat(again.seq()).isEqualTo(4L);
        assertThat(again.data()).isEqualTo("4");
        assertThat(four).isNotDone();
        transport.receives(new ServerMessage.Ack(4L));
        assertThat(four).succeedsWithin(WAIT);
        assertThat(extras.resumptions.getFirst().resent()).isEqualTo(1);
    }

    @Test
    @DisplayName("a signal refused before the drop, whose answer was lost, fails with the server's error on resume")
    void lostNackDeliveredOnResume() {
        join();
        CompletableFuture<Void> lost = session.sendSignal("t", "x");
        transport.takeSent(ClientMessage.SendSignal.class);
        dropAndReopen();
        transport.receives(new ServerMessage.Resumed(1L, 0, 0, List.of(), List.of(),
                List.of(new ServerMessage.Nack(1L, WireError.CONNECTION_NOT_FOUND.code(), "gone"))));
        failure(lost, ErrorCode.CONNECTION_NOT_FOUND);
    }

    @Test
    @DisplayName("while reconnecting, sends are queued in order, observable and cancellable, and go out first after the resume")
    void queue() {
        join("bob");
        transports.refuseAll(new IOException("offline"));
        transport.fails(new IOException("connection reset"));
        listener.assertReconnecting();
        Connection bob = session.getConnections().stream()
                .filter(c -> c.getConnectionId().equals("bob")).findFirst().orElseThrow();

        CompletableFuture<Void> a = session.sendSignal("t", "a");
        CompletableFuture<Void> b = session.sendSignalToConnection("t", "b", bob);
        CompletableFuture<Void> c = session.sendSignal("t", "c");
        failedAtOnce(session.sendSignal("t", "no", SignalOptions.builder().retryAfterReconnect(false).build()),
                ErrorCode.NOT_CONNECTED);

        List<QueuedSignal> queued = session.getQueuedSignals();
        assertThat(queued).extracting(QueuedSignal::data).containsExactly("a", "b", "c");
        assertThat(queued.get(1).to()).isEqualTo(bob);
        assertThat(queued.get(0).to()).isNull();
        assertThat(queued.get(0).queuedAt()).isEqualTo(clock.instant());
        assertThat(queued.get(0).options().retryAfterReconnect()).isTrue();

        assertThat(session.cancelQueuedSignal(queued.get(1))).isTrue();
        assertThat(session.cancelQueuedSignal(queued.get(1))).as("only once").isFalse();
        failure(b, ErrorCode.CANCELLED);
        assertThat(session.getQueuedSignals()).extracting(QueuedSignal::data).containsExactly("a", "c");
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> extras.queueSizes.size() >= 4);
        assertThat(extras.queueSizes).startsWith(1, 2, 3, 2);

        transports.refuseAll(null);
        transport = nextAttempt().opens();
        transport.takeSent(ClientMessage.Resume.class);
        transport.receives(resumed(0, 0, 0, "bob"));
        CompletableFuture<Void> d = session.sendSignal("t", "d");

        assertThat(transport.takeSent(ClientMessage.SendSignal.class).data()).isEqualTo("a");
        assertThat(transport.takeSent(ClientMessage.SendSignal.class).data()).isEqualTo("c");
        assertThat(transport.takeSent(ClientMessage.SendSignal.class).data()).isEqualTo("d");
        transport.receives(new ServerMessage.Ack(1L)).receives(new ServerMessage.Ack(2L)).receives(new ServerMessage.Ack(3L));
        assertThat(a).succeedsWithin(WAIT);
        assertThat(c).succeedsWithin(WAIT);
        assertThat(d).succeedsWithin(WAIT);
        assertThat(session.getQueuedSignals()).isEmpty();
        assertThat(extras.resumptions.getFirst().queuedSent()).isEqualTo(2);
    }

    @Test
    @DisplayName("the queue is bounded: beyond it a send fails at once with QUEUE_FULL")
    void queueBound() {
        session = build(2);
        join();
        transports.refuseAll(new IOException("offline"));
        transport.fails(new IOException("connection reset"));
        listener.assertReconnecting();
        session.sendSignal("t", "1");
        session.sendSignal("t", "2");
        failedAtOnce(session.sendSignal("t", "3"), ErrorCode.QUEUE_FULL);
        assertThat(session.getQueuedSignals()).hasSize(2);
    }

    @Test
    @DisplayName("when the window runs out: NETWORK_DISCONNECTED, queued signals fail NOT_CONNECTED, unacknowledged ones DELIVERY_UNKNOWN, no timer left")
    void windowRunsOut() {
        join();
        CompletableFuture<Void> inFlight = session.sendSignal("t", "in flight");
        transports.refuseAll(new IOException("offline"));
        transport.fails(new IOException("connection reset"));
        listener.assertReconnecting();
        CompletableFuture<Void> queued = session.sendSignal("t", "queued");

        scheduler.advance(Duration.ofSeconds(59));
        assertThat(((RealSession) session).state()).isEqualTo(SessionState.RECONNECTING);
        scheduler.advance(Duration.ofSeconds(1));

        listener.assertDisconnected(DisconnectReason.NETWORK_DISCONNECTED);
        failure(inFlight, ErrorCode.DELIVERY_UNKNOWN);
        failure(queued, ErrorCode.NOT_CONNECTED);
        assertThat(scheduler.pendingCount()).isZero();
        assertThat(session.getQueuedSignals()).isEmpty();
    }

    @Test
    @DisplayName("a resume the server refuses ends the session at once, without waiting for the window")
    void resumeRefused() {
        join();
        CompletableFuture<Void> inFlight = session.sendSignal("t", "x");
        dropAndReopen();
        transport.receives(new ServerMessage.Error(WireError.RESUME_REFUSED.code(), "not known here"));
        transport.serverCloses(CloseCodes.RESUME_REFUSED, "not known here");

        listener.assertDisconnected(DisconnectReason.NETWORK_DISCONNECTED);
        assertThat(session.getDisconnectMessage()).isEqualTo("not known here");
        failure(inFlight, ErrorCode.DELIVERY_UNKNOWN);
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    @DisplayName("disconnect() while reconnecting ends it: CLIENT_DISCONNECTED, no attempt after")
    void disconnectWhileReconnecting() {
        join();
        transport.fails(new IOException("connection reset"));
        listener.assertReconnecting();
        CompletableFuture<Void> queued = session.sendSignal("t", "queued");

        assertThat(session.disconnect()).succeedsWithin(WAIT);
        listener.assertDisconnected(DisconnectReason.CLIENT_DISCONNECTED);
        failure(queued, ErrorCode.NOT_CONNECTED);
        scheduler.advance(Duration.ofSeconds(30));
        assertThat(transports.noneMade()).isTrue();
        assertThat(scheduler.pendingCount()).isZero();
    }

    @Test
    @DisplayName("signals the server could not keep are reported right after onReconnected")
    void missedReported() {
        join();
        dropAndReopen();
        transport.receives(resumed(0, 2, 3));
        listener.assertReconnected();
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !extras.missed.isEmpty());
        assertThat(extras.missed).containsExactly(3);
        assertThat(extras.resumptions.getFirst().replayed()).isEqualTo(2);
        assertThat(extras.resumptions.getFirst().missed()).isEqualTo(3);
    }

    @Test
    @DisplayName("who left and joined while away is reported after the resume, with the reason the server kept")
    void connectionsReconciled() {
        join("bob", "carol");
        dropAndReopen();
        transport.receives(new ServerMessage.Resumed(0L, 0, 0,
                List.of(SessionFixture.info("bob"), SessionFixture.info("dave")),
                List.of(new ServerMessage.Departure("carol", Reason.FORCE_DISCONNECTED)), List.of()));
        listener.assertReconnected();
        listener.assertConnectionDestroyed("carol", DisconnectReason.FORCE_DISCONNECTED);
        listener.assertConnectionCreated("dave");
        assertThat(session.getConnections()).extracting(Connection::getConnectionId)
                .containsExactly(SessionFixture.SELF, "bob", "dave");
    }

    @Test
    @DisplayName("a final close while resuming is not retried")
    void finalCloseWhileResuming() {
        join();
        dropAndReopen();
        transport.serverCloses(CloseCodes.FORCE_DISCONNECTED, "removed");
        listener.assertDisconnected(DisconnectReason.FORCE_DISCONNECTED);
        scheduler.advance(Duration.ofSeconds(10));
        assertThat(transports.noneMade()).isTrue();
    }

    @Test
    @DisplayName("the fault injector drops the link and keeps the network down for a while")
    void faultInjector() {
        join();
        session.faults().goOffline(Duration.ofSeconds(2));
        listener.assertReconnecting();
        assertThat(session.faults().state().offlineUntil()).isEqualTo(clock.instant().plusSeconds(2));
        assertThat(session.faults().state().any()).isTrue();
    }

    private record Attempt(int number, Instant at) {}

    /** Passes the usual events to a {@link RecordingListener} and keeps the reconnection details. */
    private static final class Extras extends ForwardingSessionListener {
        final List<Attempt> attempts = new CopyOnWriteArrayList<>();
        final List<Resumption> resumptions = new CopyOnWriteArrayList<>();
        final List<Integer> missed = new CopyOnWriteArrayList<>();
        final List<Integer> queueSizes = new CopyOnWriteArrayList<>();

        Extras(RecordingListener inner) {
            super(inner);
        }

        @Override
        public void onReconnectAttempt(Session s, int attempt, Instant nextAttemptAt) {
            attempts.add(new Attempt(attempt, nextAttemptAt));
        }

        @Override
        public void onResumed(Session s, Resumption resumption) {
            resumptions.add(resumption);
        }

        @Override
        public void onSignalsMissed(Session s, int count) {
            missed.add(count);
        }

        @Override
        public void onQueueChanged(Session s, List<QueuedSignal> queued) {
            queueSizes.add(queued.size());
        }
    }
}
