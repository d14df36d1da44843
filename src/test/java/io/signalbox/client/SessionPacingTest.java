package io.signalbox.client;

import static io.signalbox.client.SessionFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.protocol.WireError;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The queue after a reconnection, sent at the server's pace, against a scripted server on fake time:
 * what goes at once, what waits and for how long, and a refusal for the rate that is waited out.
 */
class SessionPacingTest {
    private final FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final ManualScheduler scheduler = new ManualScheduler(clock);
    private final FakeTransportFactory transports = new FakeTransportFactory();
    private final RecordingListener listener = new RecordingListener();
    private final Session session = Session.builder(SessionFixture.SERVER, SessionFixture.SESSION_ID)
            .listener(listener)
            .clock(clock)
            .scheduler(scheduler)
            .transportFactory(transports)
            .random(new RandomGenerator() {
                @Override
                public long nextLong() {
                    return Long.MAX_VALUE;
                }

                @Override
                public long nextLong(long bound) {
                    return bound - 1;
                }
            })
            .build();
    /** The current link; set by join and by the reconnection. */
    private FakeTransport transport;

    private void join() {
        CompletableFuture<Void> joined = session.connect("token");
        transport = transports.next().opens();
        transport.takeSent(ClientMessage.Connect.class);
        transport.receives(SessionFixture.connected(0));
        assertThat(joined).succeedsWithin(WAIT);
    }

    /** Drops the link, queues {@code count} signals, and lets the next attempt open; returns their futures. */
    private List<CompletableFuture<Void>> dropAndQueue(int count) {
        transport.fails(new IOException("connection reset"));
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> !listener.heard(RecordingListener.Reconnecting.class).isEmpty());
        for (int i = 1; i <= count; i++) sent.add(session.sendSignal("chat", "q" + i));
        assertThat(session.getQueuedSignals()).hasSize(count);
        scheduler.advance(Duration.ofMillis(250));
        transport = transports.next().opens();
        transport.takeSent(ClientMessage.Resume.class);
        return sent;
    }

    private static ServerMessage.Resumed resumed(ServerMessage.Rates rates) {
        return new ServerMessage.Resumed(0L, 0, 0, List.of(), List.of(), List.of(), rates);
    }

    @Test
    @DisplayName("queued signals go out as fast as the server's limits allow: what it said may go at once, then one per token")
    void pacedFlush() {
        join();
        List<CompletableFuture<Void>> sent = dropAndQueue(5);
        // 10 a second, 2 available now: two at once, then one every 100 ms.
        transport.receives(resumed(new ServerMessage.Rates(10L, 10L, 0L, 0L, 2L, 0L)));

        assertThat(transport.takeSent(ClientMessage.SendSignal.class).data()).isEqualTo("q1");
        assertThat(transport.takeSent(ClientMessage.SendSignal.class).data()).isEqualTo("q2");
        transport.assertNothingSent();
        assertThat(session.getQueuedSignals()).extracting(QueuedSignal::data).containsExactly("q3", "q4", "q5");

        CompletableFuture<Void> later = session.sendSignal("chat", "sent after the reconnection");
        assertThat(session.getQueuedSignals()).as("waits behind the queue").hasSize(4);

        scheduler.advance(Duration.ofMillis(99));
        transport.assertNothingSent();
        scheduler.advance(Duration.ofMillis(1));
        assertThat(transport.takeSent(ClientMessage.SendSignal.class).data()).isEqualTo("q3");
        transport.assertNothingSent();
        scheduler.advance(Duration.ofMillis(300));
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < 3; i++) rest.add(transport.takeSent(ClientMessage.SendSignal.class).data());
        assertThat(rest).containsExactly("q4", "q5", "sent after the reconnection");
        for (long seq = 1; seq <= 6; seq++) transport.receives(new ServerMessage.Ack(seq));
        assertThat(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
        assertThat(later).succeedsWithin(WAIT);
        assertThat(session.getQueuedSignals()).isEmpty();

        CompletableFuture<Void> direct = session.sendSignal("chat", "direct");
        assertThat(transport.takeSent(ClientMessage.SendSignal.class).seq()).as("the queue is drained: no waiting").isEqualTo(7L);
        transport.receives(new ServerMessage.Ack(7L));
        assertThat(direct).succeedsWithin(WAIT);
    }

    @Test
    @DisplayName("a queued signal refused for the rate is sent again after the server's wait, in order and once, and none fails")
    void refusedFlushSentAgain() {
        join();
        List<CompletableFuture<Void>> sent = dropAndQueue(3);
        transport.receives(resumed(null)); // a server that says nothing of its limits: everything at once
        for (long seq = 1; seq <= 3; seq++) assertThat(transport.takeSent(ClientMessage.SendSignal.class).seq()).isEqualTo(seq);

        // As the real server does: the first refusal holds every later signal until the same time.
        transport.receives(new ServerMessage.Ack(1L));
        transport.receives(new ServerMessage.Nack(2L, WireError.RATE_LIMITED.code(), "too many signals", 500L));
        transport.receives(new ServerMessage.Nack(3L, WireError.RATE_LIMITED.code(), "too many signals", 500L));
        assertThat(sent.get(0)).succeedsWithin(WAIT);

        scheduler.advance(Duration.ofMillis(499));
        transport.assertNothingSent();
        scheduler.advance(Duration.ofMillis(1));
        ClientMessage.SendSignal again = transport.takeSent(ClientMessage.SendSignal.class);
        assertThat(again.data()).isEqualTo("q2");
        assertThat(again.seq()).as("a refused seq is spent: a new one").isEqualTo(4L);
        transport.assertNothingSent(); // one at a time after a refusal, so nothing overtakes it
        transport.receives(new ServerMessage.Ack(4L));
        ClientMessage.SendSignal third = transport.takeSent(ClientMessage.SendSignal.class);
        assertThat(third.data()).isEqualTo("q3");
        assertThat(third.seq()).isEqualTo(5L);
        transport.receives(new ServerMessage.Ack(5L));

        assertThat(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
        transport.assertNothingSent();
    }

    @Test
    @DisplayName("a signal sent directly over the rate fails with RATE_LIMITED and the time to wait, and the session stays connected")
    void directSendRefused() {
        join();
        CompletableFuture<Void> sent = session.sendSignal("chat", "too fast");
        transport.takeSent(ClientMessage.SendSignal.class);
        transport.receives(new ServerMessage.Nack(1L, WireError.RATE_LIMITED.code(), "too many signals; send again in 250 ms", 250L));
        SignalingException failure = SessionFixture.failure(sent, ErrorCode.RATE_LIMITED);
        assertThat(failure.retryAfter()).hasValue(Duration.ofMillis(250));
        assertThat(failure.getMessage()).contains("250 ms");
        assertThat(ErrorCode.RATE_LIMITED.number()).isEqualTo(1429);

        CompletableFuture<Void> next = session.sendSignal("chat", "later");
        assertThat(transport.takeSent(ClientMessage.SendSignal.class).seq()).isEqualTo(2L);
        transport.receives(new ServerMessage.Ack(2L));
        assertThat(next).succeedsWithin(WAIT);
    }
}
