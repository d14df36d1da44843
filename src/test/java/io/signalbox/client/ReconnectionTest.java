package io.signalbox.client;

import static io.signalbox.client.SessionFixture.failedAtOnce;
import static io.signalbox.client.SessionFixture.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.signalbox.chaos.FaultProxy;
import io.signalbox.chaos.FaultProxy.Direction;
import io.signalbox.client.RecordingListener.QueueChanged;
import io.signalbox.client.RecordingListener.ReconnectAttempt;
import io.signalbox.client.RecordingListener.Reconnected;
import io.signalbox.client.RecordingListener.Reconnecting;
import io.signalbox.client.RecordingListener.Resumed;
import io.signalbox.client.RecordingListener.SignalReceived;
import io.signalbox.client.RecordingListener.SignalsMissed;
import io.signalbox.server.ServerConfig;
import io.signalbox.server.SignalboxServer;
import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.ProjectAuth;
import io.signalbox.server.auth.Role;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Reconnection end to end: the real server on a free port, real sessions over the real WebSocket, and
 * for client A a {@link FaultProxy} in between that closes, resets, stalls and refuses its links (or,
 * without a proxy, the session's own {@link FaultInjector}). Client B is linked to the server directly
 * and watches what the others see. What is checked is the signaling contract of DESIGN.md: the same
 * connection id after a drop, no leave or join for the others, every signal once and in order, every
 * future settled once, and the right outcome when reconnection fails for good.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ReconnectionTest {
    private static final ApiCredentials CREDENTIALS =
            ApiCredentials.of("46112233", "5f1a0c9d3e7b24a68c0d1e2f3a4b5c6d7e8f9012");
    /** How long any one expected thing may take. */
    private static final Duration WAIT = Duration.ofSeconds(5);
    /** How long nothing may happen for "nothing happened" to hold. */
    private static final Duration QUIET = Duration.ofMillis(300);
    /** Short reconnection waits so that the tests do not idle: the n-th waits up to min(250, 50 * 2^n) ms. */
    private static final Duration BACKOFF_FIRST = Duration.ofMillis(50);
    private static final Duration BACKOFF_CAP = Duration.ofMillis(250);
    private static final SignalOptions NO_RETRY = SignalOptions.builder().retryAfterReconnect(false).build();

    /** Every server a test started, closed after it (closing twice is harmless). */
    private final List<SignalboxServer> servers = new ArrayList<>();
    /** Every session a test built, disconnected after it. */
    private final List<Session> sessions = new ArrayList<>();
    /** The server of the test; set by {@link #start}. */
    private SignalboxServer server;
    /** The session everyone joins; set by {@link #start}. */
    private String sessionId;
    /** The relay between client A and the server; set by {@link #start}. */
    private FaultProxy proxy;

    /** One participant: its session, what it heard, and its connection as it joined. */
    private record Member(Session session, RecordingListener hears, Connection self) {
        String id() {
            return self.getConnectionId();
        }
    }

    /**
     * Loads and warms the server, the WebSocket client and the SDK once, so that the first test's timings
     * are not those of a cold JVM.
     */
    @BeforeAll
    static void warmUp() {
        try (SignalboxServer warm = SignalboxServer.start(ServerConfig.defaults(CREDENTIALS))) {
            String warmSession = warm.createSessionId();
            Session session = Session.builder(warm.uri(), warmSession).connectTimeout(Duration.ofSeconds(30)).build();
            session.connect(warm.tokens().mintJwt(warmSession, Role.PUBLISHER, "", Duration.ofMinutes(1)))
                    .thenCompose(joined -> session.sendSignal("warm", "up"))
                    .thenCompose(sent -> session.disconnect())
                    .orTimeout(30, TimeUnit.SECONDS)
                    .join();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            CompletableFuture.allOf(sessions.stream().map(Session::disconnect).toArray(CompletableFuture[]::new))
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("disconnect() of the test's sessions did not complete within " + WAIT, e);
        } finally {
            if (proxy != null) proxy.close();
            for (SignalboxServer started : servers) started.close();
        }
    }

    // ---- a link that drops, and comes back ----

    @Test
    @DisplayName("a link closed without a WebSocket close is restored as the same connection, and the others see no leave or join")
    void cleanCloseReconnects() throws IOException {
        start(config -> config);
        Member a = joinViaProxy("a");
        Member b = joinDirect("b", a);

        proxy.closeAll();

        Resumption resumption = assertReconnects(a);
        assertThat(resumption.attempts()).as("attempts").isPositive();
        assertThat(resumption.resent()).as("resent").isZero();
        assertThat(resumption.queuedSent()).as("queued and sent").isZero();
        assertNoLeaveNorJoinSeenBy(b, a);
        a.hears.assertExhausted();
    }

    @Test
    @DisplayName("a link cut by a TCP reset is restored as the same connection, and the others see no leave or join")
    void resetReconnects() throws IOException {
        start(config -> config);
        Member a = joinViaProxy("a");
        Member b = joinDirect("b", a);

        proxy.resetAll();

        assertReconnects(a);
        assertThat(a.session.getConnections()).extracting(Connection::getConnectionId).containsExactly(a.id(), b.id());
        assertNoLeaveNorJoinSeenBy(b, a);
        a.hears.assertExhausted();
    }

    @Test
    @DisplayName("a stalled link is found dead by its silence within deadLinkTimeout, and restored; a healthy quiet link is not")
    void stalledLinkReconnects() throws IOException {
        start(config -> config.withHeartbeat(Duration.ofMillis(500)));
        Member a = join(proxy.uri(), "a", builder -> builder.deadLinkTimeout(Duration.ofMillis(1500)));
        Member b = joinDirect("b", a);
        // Longer than deadLinkTimeout with nothing sent: the heartbeats alone keep the link trusted.
        a.hears.assertExhausted(Duration.ofMillis(1800));

        long stalledAt = System.nanoTime();
        proxy.blackHole(Direction.BOTH);

        a.hears.assertReconnecting();
        assertThat(since(stalledAt)).as("time to notice the stall").isLessThan(Duration.ofMillis(1500 + 1500));
        assertReconnected(a);
        assertNoLeaveNorJoinSeenBy(b, a);
    }

    @Test
    @DisplayName("a link on which only the server's frames stall is found dead by the client itself, after deadLinkTimeout")
    void linkSilentOnlyTowardsTheClientReconnects() throws IOException {
        start(config -> config.withHeartbeat(Duration.ofMillis(500)));
        Member a = join(proxy.uri(), "a", builder -> builder.deadLinkTimeout(Duration.ofMillis(1500)));
        Member b = joinDirect("b", a);

        long stalledAt = System.nanoTime();
        // The client's pings still reach the server, which therefore never finds this link dead.
        proxy.blackHole(Direction.TO_CLIENT);

        a.hears.assertReconnecting();
        // The last frame may have come up to one heartbeat (500 ms) before the stall.
        assertThat(since(stalledAt)).as("time to notice the silence")
                .isBetween(Duration.ofMillis(800), Duration.ofMillis(1500 + 1500));
        assertReconnected(a);
        assertNoLeaveNorJoinSeenBy(b, a);
    }

    @Test
    @DisplayName("while every new link is reset as it opens, each attempt ends within the 3 s attempt timeout at most, and the next follows the backoff")
    void attemptsResetAsTheyOpenFailAtOnce() throws IOException {
        start(config -> config);
        Member a = joinViaProxy("a");
        proxy.refuse(true);
        proxy.resetAll();
        a.hears.assertReconnecting();

        // Most attempts fail in milliseconds. The WebSocket client misses a reset that comes in the
        // middle of its handshake now and then; the SDK then abandons the attempt after 3 s, not the
        // connect timeout (5 s here), so five attempts still fit in well under 10 s.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<ReconnectAttempt> soFar = a.hears.heard(ReconnectAttempt.class);
            assertThat(soFar).as("attempts scheduled within 10 s of the drop: %s", describe(soFar))
                    .hasSizeGreaterThanOrEqualTo(5);
        });
        List<ReconnectAttempt> attempts = a.hears.heard(ReconnectAttempt.class);
        for (int i = 1; i < attempts.size(); i++) {
            assertThat(Duration.between(attempts.get(i - 1).nextAttemptAt(), attempts.get(i).heardAt()))
                    .as("attempt %d, from its start to its failure", i)
                    .isLessThan(Duration.ofMillis(3600));
        }
        proxy.refuse(false);
        assertReconnected(a);
    }

    // ---- signals across a drop ----

    @Test
    @DisplayName("a drop in the middle of a burst of 500 signals: each arrives exactly once, in order, and every future completes")
    void burstAcrossDrop() throws IOException {
        start(config -> config);
        Member a = joinViaProxy("a");
        Member b = joinDirect("b", a);
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        List<String> expectedAtB = new ArrayList<>();
        List<String> expectedAtA = new ArrayList<>();

        for (int i = 0; i < 500; i++) {
            if (i == 250) {
                // Cut the link while the first half is partly delivered and partly on its way.
                await().atMost(WAIT).until(() -> received(b).size() >= 100);
                proxy.resetAll();
            }
            boolean toB = i % 2 == 1;
            String data = (toB ? "to-b " : "to-all ") + i;
            sent.add(toB ? a.session.sendSignalToConnection("burst", data, b.self)
                    : a.session.sendSignal("burst", data));
            expectedAtB.add(data);
            if (!toB) expectedAtA.add(data);
        }

        assertThat(CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT.multipliedBy(2));
        await().atMost(WAIT).until(() -> received(b).size() >= 500);
        // Nothing more comes: no duplicate was on its way.
        await().during(QUIET).atMost(QUIET.plus(WAIT)).until(() -> received(b).size() == 500
                && received(a).size() == expectedAtA.size());
        assertThat(received(b)).extracting(Signal::data).containsExactlyElementsOf(expectedAtB);
        assertThat(received(b)).allSatisfy(signal -> {
            assertThat(signal.from().getConnectionId()).isEqualTo(a.id());
            assertThat(signal.direct()).isEqualTo(signal.data().startsWith("to-b"));
        });
        assertThat(received(a)).extracting(Signal::data).containsExactlyElementsOf(expectedAtA);
        assertThat(a.hears.heard(Reconnected.class)).as("reconnections").hasSize(1);
        Resumption resumption = a.hears.heard(Resumed.class).getFirst().resumption();
        assertThat(resumption.resent() + resumption.queuedSent()).as("resent and queued-then-sent").isPositive();
        assertThat(a.session.getConnection().getConnectionId()).isEqualTo(a.id());
        assertThat(b.hears.heard(RecordingListener.ConnectionDestroyed.class)).isEmpty();
    }

    @Test
    @DisplayName("a signal whose acknowledgement the drop ate completes once after reconnection, and is not delivered twice")
    void acknowledgementEatenByTheDrop() throws IOException {
        start(config -> config);
        Member a = joinViaProxy("a");
        Member b = joinDirect("b", a);

        proxy.blackHole(Direction.TO_CLIENT);
        CompletableFuture<Void> sent = a.session.sendSignalToConnection("once", "ack eaten", b.self);
        b.hears.assertSignal("once", "ack eaten", a.id()); // the server routed it, and acknowledged it in vain
        assertThat(sent).as("the signal whose ack was eaten").isNotDone();
        proxy.resetAll();

        Resumption resumption = assertReconnects(a);
        assertThat(sent).succeedsWithin(WAIT);
        assertThat(resumption.resent()).as("resent (it had arrived)").isZero();
        assertNoLeaveNorJoinSeenBy(b, a); // also: "ack eaten" did not come a second time
    }

    @Test
    @DisplayName("a signal the drop ate before it reached the server is sent again after reconnection, and delivered once")
    void signalEatenByTheDropIsResent() throws IOException {
        start(config -> config);
        Member a = joinViaProxy("a");
        Member b = joinDirect("b", a);

        proxy.blackHole(Direction.TO_SERVER);
        CompletableFuture<Void> sent = a.session.sendSignalToConnection("once", "frame eaten", b.self);
        b.hears.assertExhausted(QUIET);
        proxy.resetAll();

        Resumption resumption = assertReconnects(a);
        assertThat(sent).succeedsWithin(WAIT);
        assertThat(resumption.resent()).as("resent").isEqualTo(1);
        b.hears.assertSignal("once", "frame eaten", a.id());
        assertNoLeaveNorJoinSeenBy(b, a);
    }

    @Test
    @DisplayName("without retryAfterReconnect: in flight and arrived completes, in flight and lost fails NOT_CONNECTED once known, sent while reconnecting fails at once")
    void withoutRetryAfterReconnect() throws IOException {
        start(config -> config);
        Member a = joinViaProxy("a");
        Member b = joinDirect("b", a);

        proxy.blackHole(Direction.TO_CLIENT);
        CompletableFuture<Void> arrived = a.session.sendSignalToConnection("noretry", "arrived", b.self, NO_RETRY);
        b.hears.assertSignal("noretry", "arrived", a.id());
        proxy.blackHole(Direction.TO_SERVER);
        CompletableFuture<Void> lost = a.session.sendSignalToConnection("noretry", "lost", b.self, NO_RETRY);
        a.session.faults().blockReconnection();
        proxy.resetAll();
        a.hears.assertReconnecting();

        CompletableFuture<Void> whileAway = a.session.sendSignalToConnection("noretry", "while away", b.self, NO_RETRY);
        failedAtOnce(whileAway, ErrorCode.NOT_CONNECTED);
        assertThat(a.session.getQueuedSignals()).as("the queue").isEmpty();
        // Whether they arrived is known only when the server says so: nothing is guessed while away.
        await().during(QUIET).atMost(QUIET.plus(WAIT)).until(() -> !arrived.isDone() && !lost.isDone());

        a.session.faults().releaseReconnection();
        Resumption resumption = assertReconnected(a);
        assertThat(arrived).succeedsWithin(WAIT);
        failure(lost, ErrorCode.NOT_CONNECTED);
        assertThat(resumption.resent()).as("resent").isZero();
        assertNoLeaveNorJoinSeenBy(b, a); // neither "lost" nor "while away" ever reaches B
    }

    // ---- the queue ----

    @Test
    @DisplayName("signals sent while reconnecting wait in an observable queue, may be cancelled, and go out in order ahead of later sends")
    void queueWhileReconnecting() throws IOException {
        start(config -> config);
        Member a = joinViaProxy("a");
        Member b = joinDirect("b", a);
        a.session.faults().blockReconnection();
        proxy.resetAll();
        a.hears.assertReconnecting();

        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        CompletableFuture<Void> first = a.session.sendSignal("q", "first");
        CompletableFuture<Void> second = a.session.sendSignalToConnection("q", "second", b.self);
        CompletableFuture<Void> third = a.session.sendSignal("q", "third",
                SignalOptions.builder().retryAfterReconnect(true).build());
        Instant after = Instant.now();

        List<QueuedSignal> queued = a.session.getQueuedSignals();
        assertThat(queued).extracting(QueuedSignal::type, QueuedSignal::data, QueuedSignal::to, QueuedSignal::options)
                .containsExactly(
                        tuple("q", "first", null, SignalOptions.defaults()),
                        tuple("q", "second", b.self, SignalOptions.defaults()),
                        tuple("q", "third", null, SignalOptions.defaults()));
        assertThat(queued).extracting(QueuedSignal::id).isSorted().doesNotHaveDuplicates();
        assertThat(queued).allSatisfy(signal -> assertThat(signal.queuedAt()).isBetween(before, after));
        assertThat(List.of(first, second, third)).noneMatch(CompletableFuture::isDone);
        await().atMost(WAIT).untilAsserted(() -> assertThat(a.hears.heard(QueueChanged.class))
                .extracting(change -> change.queued().size()).containsExactly(1, 2, 3));
        assertThat(lastQueue(a)).isEqualTo(queued);

        assertThat(a.session.cancelQueuedSignal(queued.get(1))).as("cancelling the middle one").isTrue();
        failure(second, ErrorCode.CANCELLED);
        assertThat(a.session.cancelQueuedSignal(queued.get(1))).as("cancelling it again").isFalse();
        assertThat(a.session.getQueuedSignals()).extracting(QueuedSignal::data).containsExactly("first", "third");
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(lastQueue(a)).extracting(QueuedSignal::data).containsExactly("first", "third"));

        a.session.faults().releaseReconnection();
        Resumption resumption = assertReconnected(a);
        CompletableFuture<Void> later = a.session.sendSignalToConnection("q", "sent after reconnecting", b.self);

        assertThat(first).succeedsWithin(WAIT);
        assertThat(third).succeedsWithin(WAIT);
        assertThat(later).succeedsWithin(WAIT);
        assertThat(resumption.queuedSent()).as("queued and sent").isEqualTo(2);
        assertThat(resumption.resent()).as("resent").isZero();
        b.hears.assertSignal("q", "first", a.id());
        b.hears.assertSignal("q", "third", a.id());
        b.hears.assertSignal("q", "sent after reconnecting", a.id());
        b.hears.assertExhausted(QUIET);
        a.hears.assertSignal("q", "first", a.id());
        a.hears.assertSignal("q", "third", a.id());
        assertThat(a.session.getQueuedSignals()).isEmpty();
        await().atMost(WAIT).untilAsserted(() -> assertThat(lastQueue(a)).isEmpty());
    }

    @Test
    @DisplayName("a send beyond maxQueuedSignals while reconnecting fails at once with QUEUE_FULL; the queued ones still go out")
    void queueBound() throws IOException {
        start(config -> config);
        Member a = join(server.uri(), "a", builder -> builder.maxQueuedSignals(2));
        Member b = joinDirect("b", a);
        a.session.faults().blockReconnection();
        a.session.faults().dropLink();
        a.hears.assertReconnecting();

        CompletableFuture<Void> one = a.session.sendSignalToConnection("q", "one", b.self);
        CompletableFuture<Void> two = a.session.sendSignalToConnection("q", "two", b.self);
        CompletableFuture<Void> three = a.session.sendSignalToConnection("q", "three", b.self);

        failedAtOnce(three, ErrorCode.QUEUE_FULL);
        assertThat(a.session.getQueuedSignals()).extracting(QueuedSignal::data).containsExactly("one", "two");
        a.session.faults().releaseReconnection();
        Resumption resumption = assertReconnected(a);
        assertThat(one).succeedsWithin(WAIT);
        assertThat(two).succeedsWithin(WAIT);
        assertThat(resumption.queuedSent()).as("queued and sent").isEqualTo(2);
        b.hears.assertSignal("q", "one", a.id());
        b.hears.assertSignal("q", "two", a.id());
        b.hears.assertExhausted(QUIET);
    }

    // ---- what a client missed while away ----

    @Test
    @DisplayName("signals addressed to a client while it was away are replayed on its return, all of them, in order")
    void missedSignalsReplayed() throws IOException {
        start(config -> config);
        Member a = joinViaProxy("a");
        Member b = joinDirect("b", a);
        List<String> sent = sendWhileAway(a, b);

        a.session.faults().releaseReconnection();
        Resumption resumption = assertReconnected(a);

        assertThat(resumption.replayed()).as("replayed").isEqualTo(10);
        assertThat(resumption.missed()).as("missed").isZero();
        for (String data : sent) {
            Signal signal = a.hears.assertSignal("away", data, b.id());
            assertThat(signal.direct()).as("direct, for %s", data).isEqualTo(data.startsWith("to-a "));
        }
        a.hears.assertExhausted(QUIET);
        assertThat(a.hears.heard(SignalsMissed.class)).isEmpty();
    }

    @Test
    @DisplayName("when the server could keep only 3 of the 10 signals for a client away, it is told 7 were missed right after reconnecting, then gets the last 3")
    void missedSignalsBeyondTheReplayBound() throws IOException {
        start(config -> config.withReplayBounds(3, 1024 * 1024));
        Member a = joinViaProxy("a");
        Member b = joinDirect("b", a);
        List<String> sent = sendWhileAway(a, b);

        a.session.faults().releaseReconnection();
        // At once after onReconnected, before any replayed signal: onResumed, then onSignalsMissed.
        a.hears.assertReconnected();
        Resumption resumption = a.hears.assertResumed();
        a.hears.assertSignalsMissed(7);
        assertThat(resumption.replayed()).as("replayed").isEqualTo(3);
        assertThat(resumption.missed()).as("missed").isEqualTo(7);
        for (String data : sent.subList(7, 10)) a.hears.assertSignal("away", data, b.id());
        a.hears.assertExhausted(QUIET);
    }

    // ---- reconnection that fails for good ----

    @Test
    @DisplayName("when the reconnection window runs out: NETWORK_DISCONNECTED, queued sends fail NOT_CONNECTED, in-flight ones DELIVERY_UNKNOWN, the others see it leave")
    void reconnectionWindowRunsOut() throws IOException {
        start(config -> config.withReconnectWindow(Duration.ofSeconds(1)));
        Member a = joinViaProxy("a");
        Member b = joinDirect("b", a);

        proxy.blackHole(Direction.TO_SERVER);
        CompletableFuture<Void> inFlight = a.session.sendSignalToConnection("w", "in flight", b.self);
        proxy.refuse(true);
        long droppedAt = System.nanoTime();
        proxy.resetAll();
        a.hears.assertReconnecting();
        CompletableFuture<Void> queued = a.session.sendSignalToConnection("w", "queued", b.self);
        assertThat(a.session.getQueuedSignals()).extracting(QueuedSignal::data).containsExactly("queued");

        a.hears.assertDisconnected(DisconnectReason.NETWORK_DISCONNECTED);
        assertThat(since(droppedAt)).as("time to give up").isBetween(Duration.ofMillis(800), Duration.ofMillis(3000));
        failure(inFlight, ErrorCode.DELIVERY_UNKNOWN);
        failure(queued, ErrorCode.NOT_CONNECTED);
        assertThat(a.session.getDisconnectMessage()).as("why, in words").isNotBlank();
        assertThat(a.session.getQueuedSignals()).isEmpty();
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(lastQueue(a)).as("the queue as onQueueChanged last told it").isEmpty());
        assertThat(a.session.getConnection()).isNull();
        assertThat(a.hears.heard(ReconnectAttempt.class)).as("attempts within the window").isNotEmpty();
        assertThat(a.hears.heard(Reconnected.class)).isEmpty();
        failedAtOnce(a.session.sendSignal("w", "afterwards"), ErrorCode.NOT_CONNECTED);
        b.hears.assertConnectionDestroyed(a.id(), DisconnectReason.NETWORK_DISCONNECTED);
        b.hears.assertExhausted(QUIET);
    }

    @Test
    @DisplayName("after a server restart the new server refuses the resume: NETWORK_DISCONNECTED at once, not after the window; queued and in-flight sends fail")
    void serverRestartRefusesTheResume() throws IOException {
        start(config -> config);
        Member a = joinViaProxy("a");

        proxy.blackHole(Direction.TO_SERVER);
        CompletableFuture<Void> inFlight = a.session.sendSignal("r", "in flight");
        a.session.faults().blockReconnection();
        server.close(); // 1001, going away: a lost link, not a final close
        a.hears.assertReconnecting();
        CompletableFuture<Void> queued = a.session.sendSignal("r", "queued");

        SignalboxServer restarted = SignalboxServer.start(ServerConfig.defaults(CREDENTIALS));
        servers.add(restarted);
        proxy.target(restarted.port());
        long reachableAt = System.nanoTime();
        a.session.faults().releaseReconnection();

        a.hears.assertDisconnected(DisconnectReason.NETWORK_DISCONNECTED);
        // The window is the default 60 s: giving up this soon means the refusal was taken as final.
        assertThat(since(reachableAt)).as("time to give up").isLessThan(Duration.ofSeconds(3));
        failure(queued, ErrorCode.NOT_CONNECTED);
        failure(inFlight, ErrorCode.DELIVERY_UNKNOWN);
        assertThat(a.session.getDisconnectMessage()).as("why, in words").isNotBlank();
        assertThat(a.hears.heard(Reconnected.class)).isEmpty();
        a.hears.assertExhausted();
    }

    @Test
    @DisplayName("disconnect() while reconnecting ends the session with CLIENT_DISCONNECTED and no attempt follows")
    void disconnectWhileReconnecting() throws IOException {
        start(config -> config);
        Member a = joinViaProxy("a");
        joinDirect("b", a);
        proxy.refuse(true);
        proxy.resetAll();
        a.hears.assertReconnecting();
        CompletableFuture<Void> queued = a.session.sendSignal("d", "queued");

        CompletableFuture<Void> disconnected = a.session.disconnect();

        a.hears.assertDisconnected(DisconnectReason.CLIENT_DISCONNECTED);
        assertThat(disconnected).succeedsWithin(WAIT);
        failure(queued, ErrorCode.NOT_CONNECTED);
        assertThat(a.session.getQueuedSignals()).isEmpty();
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(lastQueue(a)).as("the queue as onQueueChanged last told it").isEmpty());
        assertThat(a.session.getDisconnectMessage()).as("the message after one's own disconnect()").isNull();
        int attemptsBefore = a.hears.heard(ReconnectAttempt.class).size();
        proxy.refuse(false);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> proxy.linkCount() == 0);
        assertThat(a.hears.heard(ReconnectAttempt.class)).as("attempts after disconnect()").hasSize(attemptsBefore);
        a.hears.assertExhausted();
    }

    @Test
    @DisplayName("a force disconnect through the REST API ends the session with FORCE_DISCONNECTED and is not retried")
    void forceDisconnectIsFinal() throws Exception {
        start(config -> config);
        Member a = joinViaProxy("a");
        Member b = joinDirect("b", a);

        try (HttpClient http = HttpClient.newHttpClient()) {
            URI uri = server.uri().resolve("/v2/project/" + CREDENTIALS.apiKey() + "/session/" + sessionId
                    + "/connection/" + a.id());
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .header(ProjectAuth.HEADER, server.projectAuth().mint(Duration.ofMinutes(1)))
                    .DELETE()
                    .build();
            assertThat(http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);
        }

        a.hears.assertDisconnected(DisconnectReason.FORCE_DISCONNECTED);
        assertThat(a.session.getDisconnectMessage()).as("the server's words").isNotBlank();
        b.hears.assertConnectionDestroyed(a.id(), DisconnectReason.FORCE_DISCONNECTED);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> proxy.linkCount() == 0);
        assertThat(a.hears.heard(Reconnecting.class)).isEmpty();
        assertThat(a.hears.heard(ReconnectAttempt.class)).isEmpty();
        a.hears.assertExhausted();
    }

    // ---- the fault injector, without a proxy ----

    @Test
    @DisplayName("faults().dropLink() drops the link and the session reconnects as the same connection")
    void injectedDrop() throws IOException {
        start(config -> config);
        Member a = joinDirect("a");
        Member b = joinDirect("b", a);

        a.session.faults().dropLink();

        assertReconnects(a);
        assertNoLeaveNorJoinSeenBy(b, a);
        a.hears.assertExhausted();
    }

    @Test
    @DisplayName("faults().goOffline(800 ms): attempts fail while offline, numbered 1, 2, 3 ..., then the session reconnects")
    void injectedOfflinePeriod() throws IOException {
        start(config -> config);
        Member a = joinDirect("a");
        Member b = joinDirect("b", a);

        long offlineAt = System.nanoTime();
        a.session.faults().goOffline(Duration.ofMillis(800));
        FaultInjector.State offline = a.session.faults().state();
        assertThat(offline.offlineUntil()).as("offline until").isNotNull();
        assertThat(offline.any()).isTrue();

        Resumption resumption = assertReconnects(a);
        assertThat(since(offlineAt)).as("time offline").isGreaterThanOrEqualTo(Duration.ofMillis(800));
        assertThat(resumption.downtime()).as("downtime").isGreaterThanOrEqualTo(Duration.ofMillis(750));
        List<ReconnectAttempt> attempts = a.hears.heard(ReconnectAttempt.class);
        // With waits of at most 50, 100, 200, 250 ms, at least three attempts start within the 800 ms.
        assertThat(attempts).as("attempts").hasSizeGreaterThanOrEqualTo(3);
        assertThat(attempts).extracting(ReconnectAttempt::attempt)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, attempts.size()).boxed().toList());
        assertThat(attempts).allSatisfy(attempt -> assertThat(attempt.nextAttemptAt())
                .as("attempt %d is due within the backoff cap", attempt.attempt())
                .isBeforeOrEqualTo(attempt.heardAt().plus(BACKOFF_CAP).plusMillis(50)));
        assertThat(resumption.attempts()).as("attempts reported on resuming").isEqualTo(attempts.size());
        assertThat(a.session.faults().state().any()).as("any fault after the offline period").isFalse();
        assertNoLeaveNorJoinSeenBy(b, a);
    }

    @Test
    @DisplayName("faults().blockReconnection() keeps the session reconnecting until released")
    void injectedBlockedReconnection() throws IOException {
        start(config -> config);
        Member a = joinDirect("a");
        Member b = joinDirect("b", a);

        a.session.faults().blockReconnection();
        assertThat(a.session.faults().state()).isEqualTo(new FaultInjector.State(null, true, Duration.ZERO));
        a.session.faults().dropLink();
        a.hears.assertReconnecting();
        await().atMost(WAIT).until(() -> a.hears.heard(ReconnectAttempt.class).size() >= 3);
        assertThat(a.hears.heard(Reconnected.class)).as("reconnected while blocked").isEmpty();

        a.session.faults().releaseReconnection();
        assertThat(a.session.faults().state().any()).isFalse();
        Resumption resumption = assertReconnected(a);
        assertThat(resumption.attempts()).as("attempts").isGreaterThanOrEqualTo(3);
        assertNoLeaveNorJoinSeenBy(b, a);
    }

    @Test
    @DisplayName("faults().setLatency(200 ms) delays every frame each way: a signal's round trip takes at least 400 ms")
    void injectedLatency() throws IOException {
        start(config -> config);
        Member a = joinDirect("a");
        Member b = joinDirect("b", a);

        a.session.faults().setLatency(Duration.ofMillis(200));
        assertThat(a.session.faults().state()).isEqualTo(new FaultInjector.State(null, false, Duration.ofMillis(200)));
        long sentAt = System.nanoTime();
        CompletableFuture<Void> sent = a.session.sendSignalToConnection("slow", "200 ms each way", b.self);

        assertThat(sent).succeedsWithin(WAIT);
        assertThat(since(sentAt)).as("round trip").isGreaterThanOrEqualTo(Duration.ofMillis(400));
        b.hears.assertSignal("slow", "200 ms each way", a.id());
        a.session.faults().setLatency(Duration.ZERO);
        assertThat(a.session.faults().state().any()).isFalse();
        assertThat(a.hears.heard(Reconnecting.class)).isEmpty();
        a.hears.assertExhausted();
    }

    // ---- helpers ----

    private void start(UnaryOperator<ServerConfig> tweak) throws IOException {
        server = SignalboxServer.start(tweak.apply(ServerConfig.defaults(CREDENTIALS)));
        servers.add(server);
        sessionId = server.createSessionId();
        proxy = FaultProxy.start(server.port());
    }

    private Member joinViaProxy(String name, Member... already) {
        return join(proxy.uri(), name, builder -> builder, already);
    }

    private Member joinDirect(String name, Member... already) {
        return join(server.uri(), name, builder -> builder, already);
    }

    /** Joins the session, and takes the join's events at the newcomer and at those already there. */
    private Member join(URI uri, String name, UnaryOperator<Session.Builder> tweak, Member... already) {
        RecordingListener hears = new RecordingListener(WAIT).sequence(Resumed.class, SignalsMissed.class);
        Session session = tweak.apply(Session.builder(uri, sessionId)
                        .listener(hears)
                        .connectTimeout(WAIT)
                        .disconnectTimeout(Duration.ofMillis(500))
                        .reconnectBackoff(BACKOFF_FIRST, BACKOFF_CAP))
                .build();
        sessions.add(session);
        String token = server.tokens().mintJwt(sessionId, Role.PUBLISHER, "name=" + name, Duration.ofHours(1));
        assertThat(session.connect(token)).succeedsWithin(WAIT);
        hears.assertConnected();
        Member joined = new Member(session, hears, session.getConnection());
        for (Member other : already) {
            hears.assertConnectionCreated(other.id());
            other.hears.assertConnectionCreated(joined.id());
        }
        return joined;
    }

    /** Takes the reconnection's events: reconnecting, reconnected, resumed; returns what was resumed. */
    private static Resumption assertReconnects(Member member) {
        member.hears.assertReconnecting();
        return assertReconnected(member);
    }

    /** Takes reconnected and resumed, checks the connection is the same, and returns what was resumed. */
    private static Resumption assertReconnected(Member member) {
        member.hears.assertReconnected();
        Resumption resumption = member.hears.assertResumed();
        assertThat(member.session.getConnection()).as("the connection after reconnecting").isNotNull();
        assertThat(member.session.getConnection().getConnectionId()).as("the connection id after reconnecting")
                .isEqualTo(member.id());
        return resumption;
    }

    /**
     * The watcher saw no leave and no join of the one who dropped: its next event is a signal the other
     * sends now, and nothing follows it.
     */
    private static void assertNoLeaveNorJoinSeenBy(Member watcher, Member dropped) {
        assertThat(dropped.session.sendSignalToConnection("check", "still here", watcher.self)).succeedsWithin(WAIT);
        watcher.hears.assertSignal("check", "still here", dropped.id());
        watcher.hears.assertExhausted(QUIET);
        assertThat(watcher.session.getConnections()).extracting(Connection::getConnectionId)
                .containsExactly(watcher.id(), dropped.id());
    }

    /**
     * Keeps A away (its link reset, its reconnection blocked) and has B send it 5 signals and everyone
     * 5, alternately, all acknowledged; returns their data in the order sent. A stays blocked.
     */
    private List<String> sendWhileAway(Member a, Member b) {
        a.session.faults().blockReconnection();
        proxy.resetAll();
        a.hears.assertReconnecting();
        await().atMost(WAIT).until(() -> server.isAway(sessionId, a.id()));
        List<String> sent = new ArrayList<>();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            acks.add(b.session.sendSignalToConnection("away", "to-a " + i, a.self));
            sent.add("to-a " + i);
            acks.add(b.session.sendSignal("away", "to-all " + i));
            sent.add("to-all " + i);
        }
        assertThat(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
        for (int i = 1; i <= 5; i++) b.hears.assertSignal("away", "to-all " + i, b.id());
        return sent;
    }

    private static List<Signal> received(Member member) {
        return member.hears.heard(SignalReceived.class).stream().map(SignalReceived::signal).toList();
    }

    /** The queue as the last onQueueChanged told it, or null when it was never told. */
    private static List<QueuedSignal> lastQueue(Member member) {
        List<QueueChanged> changes = member.hears.heard(QueueChanged.class);
        return changes.isEmpty() ? null : changes.getLast().queued();
    }

    /** The attempts as "#n at (when scheduled), due (when made)", for a failure message. */
    private static String describe(List<ReconnectAttempt> attempts) {
        return attempts.stream()
                .map(attempt -> "#" + attempt.attempt() + " at " + attempt.heardAt() + ", due " + attempt.nextAttemptAt())
                .toList().toString();
    }

    private static Duration since(long nanoTime) {
        return Duration.ofNanos(System.nanoTime() - nanoTime);
    }
}
