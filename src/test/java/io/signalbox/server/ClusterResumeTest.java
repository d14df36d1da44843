package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.signalbox.client.Connection;
import io.signalbox.client.Session;
import io.signalbox.client.SessionListener;
import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.Codec;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.server.redis.RedisBackplane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A node of a cluster dies while its clients are connected: they resume on another node within the
 * window, with the same connection, and nobody else notices.
 */
class ClusterResumeTest {
    private static final Duration WINDOW = Duration.ofSeconds(30);
    private ClusterFixture cluster;
    private Session session;

    @AfterEach
    void stop() throws Exception {
        if (session != null) session.disconnect().get(5, TimeUnit.SECONDS);
        if (cluster != null) cluster.close();
    }

    /** What the SDK client hears: its reconnection, and the data of the signals it receives, in order. */
    private static final class Ear implements SessionListener {
        final CountDownLatch reconnecting = new CountDownLatch(1);
        final CountDownLatch reconnected = new CountDownLatch(1);
        final List<String> signals = new CopyOnWriteArrayList<>();
        final List<String> connectionEvents = new CopyOnWriteArrayList<>();

        @Override
        public void onReconnecting(Session session) {
            reconnecting.countDown();
        }

        @Override
        public void onReconnected(Session session) {
            reconnected.countDown();
        }

        @Override
        public void onSignalReceived(Session session, String type, String data, Connection from) {
            signals.add(data);
        }

        @Override
        public void onConnectionDestroyed(Session session, Connection connection, io.signalbox.client.DisconnectReason reason) {
            connectionEvents.add("left " + connection.getConnectionId());
        }
    }

    /** The data of the next {@code count} signals, failing on any connection event on the way. */
    private static List<String> signals(RawClient client, int count) throws Exception {
        List<String> data = new ArrayList<>();
        while (data.size() < count) {
            ServerMessage message = client.next();
            switch (message) {
                case ServerMessage.Signal signal -> data.add(signal.data());
                case ServerMessage.Left left -> throw new AssertionError("a connection was reported left: " + left);
                case ServerMessage.Joined joined -> throw new AssertionError("a connection was reported joined: " + joined);
                default -> { }
            }
        }
        return data;
    }

    @Test
    @DisplayName("an SDK client whose node is killed resumes on the next node with the same connection; its queued signals arrive once, in order; others see no leave or join")
    void sdkClientResumesOnAnotherNode() throws Exception {
        cluster = ClusterFixture.start(3, "--reconnect-window", WINDOW.toSeconds() + "s");
        String sessionId = cluster.newSession();
        RawClient b = cluster.join(2, sessionId, "b");
        RawClient c = cluster.join(3, sessionId, "c");
        b.skipTo(ServerMessage.Joined.class);

        Ear ear = new Ear();
        session = Session.builder(List.of(cluster.node(1).uri(), cluster.node(2).uri()), sessionId)
                .listener(ear)
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(500))
                .build();
        session.connect(cluster.token(sessionId, "x")).get(10, TimeUnit.SECONDS);
        String self = session.getConnection().getConnectionId();
        assertThat(b.skipTo(ServerMessage.Joined.class).connection().id()).isEqualTo(self);
        assertThat(c.skipTo(ServerMessage.Joined.class).connection().id()).isEqualTo(self);
        session.sendSignal("chat", "before").get(10, TimeUnit.SECONDS);
        assertThat(signals(b, 1)).containsExactly("before");
        assertThat(signals(c, 1)).containsExactly("before");

        cluster.node(1).kill();
        assertThat(ear.reconnecting.await(10, TimeUnit.SECONDS)).as("reconnecting").isTrue();
        Connection toB = session.getConnections().stream()
                .filter(connection -> connection.getConnectionId().equals(b.selfId())).findFirst().orElseThrow();
        List<CompletableFuture<Void>> sent = List.of(
                session.sendSignal("chat", "q1"),
                session.sendSignalToConnection("chat", "to b", toB),
                session.sendSignal("chat", "q2"),
                session.sendSignal("chat", "q3"));
        assertThat(session.getQueuedSignals()).hasSize(4);

        // Node 2 takes it over once node 1's liveness key has expired (at most NODE_TTL).
        assertThat(ear.reconnected.await(20, TimeUnit.SECONDS)).as("reconnected").isTrue();
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        assertThat(session.getConnection().getConnectionId()).isEqualTo(self);

        assertThat(signals(b, 4)).containsExactly("q1", "to b", "q2", "q3");
        assertThat(signals(c, 3)).containsExactly("q1", "q2", "q3");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ear.signals.size() >= 4);
        ClusterFrames.assertNoSignal(b, Duration.ofSeconds(1));
        ClusterFrames.assertNoSignal(c, Duration.ZERO);
        assertThat(ear.signals).containsExactly("before", "q1", "q2", "q3");
        assertThat(ear.connectionEvents).isEmpty();

        // The survivors still see it, on node 2 now, and reach it.
        JsonNode list = new ObjectMapper().readTree(
                cluster.rest(3, "GET", ClusterFixture.sessionPath(sessionId) + "/connection", null).body());
        assertThat(list.get("count").asInt()).isEqualTo(3);
        c.send(new ClientMessage.SendSignal(1L, "chat", "hello x", self));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> ear.signals.contains("hello x"));

        // Past the dead node's reaping: still no leave anywhere.
        ClusterFrames.assertNone(b, ServerMessage.Left.class, Duration.ofSeconds(2));
        ClusterFrames.assertNone(c, ServerMessage.Left.class, Duration.ZERO);
    }

    @Test
    @DisplayName("the node taking over drops a signal the dead node already handled, and routes the next")
    void handledSignalsAreNotRoutedTwice() throws Exception {
        cluster = ClusterFixture.start(2, "--reconnect-window", WINDOW.toSeconds() + "s");
        String sessionId = cluster.newSession();
        RawClient b = cluster.join(2, sessionId, "b");
        RawClient a = RawClient.open(cluster.node(1).ws());
        ServerMessage.Connected welcome = a.connect(sessionId, cluster.token(sessionId, "a"));
        b.skipTo(ServerMessage.Joined.class);
        a.send(new ClientMessage.SendSignal(1L, "chat", "one", null));
        a.skipTo(ServerMessage.Ack.class);
        a.send(new ClientMessage.SendSignal(2L, "chat", "two", null));
        a.skipTo(ServerMessage.Ack.class);
        // Acknowledged only once Redis has the seq, and the signal published before it.
        assertThat(cluster.hget("signalbox:connection:" + welcome.self().id(), "lastSeq")).isEqualTo("2");
        assertThat(signals(b, 2)).containsExactly("one", "two");

        cluster.node(1).kill();
        a.close();
        // Refused with a non-final close while node 1 still looks alive; accepted once it is found dead.
        List<ServerMessage> answers = new ArrayList<>();
        RawClient resumed = ClusterFrames.resumeOn(cluster.node(2),
                new ClientMessage.Resume(1, sessionId, welcome.self().id(), welcome.resumeToken(), 0L), answers);
        ServerMessage.Resumed answer = (ServerMessage.Resumed) answers.getFirst();
        assertThat(answer.lastSeq()).isEqualTo(2L);

        resumed.send(new ClientMessage.SendSignal(2L, "chat", "two", null));
        assertThat(resumed.skipTo(ServerMessage.Ack.class).seq()).isEqualTo(2L);
        resumed.send(new ClientMessage.SendSignal(3L, "chat", "three", null));
        assertThat(signals(b, 1)).containsExactly("three");
        resumed.close();
    }

    @Test
    @DisplayName("the node taking over replays, from Redis, the signals the client had not received, trimmed by its heartbeats, and counts what it cannot")
    void replayFromRedis() throws Exception {
        cluster = ClusterFixture.start(2, "--reconnect-window", WINDOW.toSeconds() + "s", "--replay-signals", "3");
        String sessionId = cluster.newSession();
        RawClient b = cluster.join(2, sessionId, "b");
        RawClient x = RawClient.open(cluster.node(1).ws());
        ServerMessage.Connected welcome = x.connect(sessionId, cluster.token(sessionId, "x"));
        b.skipTo(ServerMessage.Joined.class);
        for (long i = 1; i <= 5; i++) {
            b.send(new ClientMessage.SendSignal(i, "chat", "s" + i, welcome.self().id()));
            assertThat(x.skipTo(ServerMessage.Signal.class).data()).isEqualTo("s" + i);
        }
        // The client says it has two: the node keeps s3 to s5 (the bound is 3), in Redis as well.
        x.send(new ClientMessage.Ping(2L));
        x.skipTo(ServerMessage.Pong.class);

        cluster.node(1).kill();
        x.close();
        List<ServerMessage> answers = new ArrayList<>();
        // As if s2 to s5 had been lost in the drop: s3 to s5 come back, s2 is counted missed.
        RawClient resumed = ClusterFrames.resumeOn(cluster.node(2),
                new ClientMessage.Resume(1, sessionId, welcome.self().id(), welcome.resumeToken(), 1L), answers);
        ServerMessage.Resumed answer = (ServerMessage.Resumed) answers.getFirst();
        assertThat(answer.replayed()).isEqualTo(3);
        assertThat(answer.missed()).isEqualTo(1);
        assertThat(signals(resumed, 3)).containsExactly("s3", "s4", "s5");

        // Routed on from node 2, numbered after them.
        b.send(new ClientMessage.SendSignal(6L, "chat", "s6", welcome.self().id()));
        assertThat(signals(resumed, 1)).containsExactly("s6");
        resumed.close();
    }

    /** Three members of one session on a cluster of three: b on node 2, c on {@code cNode}, x on node 1. */
    private record Trio(String sessionId, RawClient b, RawClient c, RawClient x, ServerMessage.Connected welcome) {}

    /** Starts the cluster and the trio; b sends x {@code first}, which x has. */
    private Trio trio(int cNode, String first) throws Exception {
        cluster = ClusterFixture.start(3, "--reconnect-window", WINDOW.toSeconds() + "s");
        String sessionId = cluster.newSession();
        RawClient b = cluster.join(2, sessionId, "b");
        RawClient c = cluster.join(cNode, sessionId, "c");
        RawClient x = RawClient.open(cluster.node(1).ws());
        ServerMessage.Connected welcome = x.connect(sessionId, cluster.token(sessionId, "x"));
        b.skipTo(ServerMessage.Joined.class);
        b.skipTo(ServerMessage.Joined.class);
        c.skipTo(ServerMessage.Joined.class);
        b.send(new ClientMessage.SendSignal(1L, "chat", first, welcome.self().id()));
        assertThat(signals(x, 1)).containsExactly(first);
        return new Trio(sessionId, b, c, x, welcome);
    }

    @Test
    @DisplayName("signals routed to a connection after its node died, from clients and REST on any node, reach it once, in order, when it resumes elsewhere")
    void signalsRoutedAfterTheDeathAreKept() throws Exception {
        Trio trio = trio(3, "before");
        String sessionId = trio.sessionId();
        RawClient b = trio.b(), c = trio.c(), x = trio.x();
        ServerMessage.Connected welcome = trio.welcome();
        String self = welcome.self().id();

        cluster.node(1).kill();
        x.close();
        // g1, g2, g5, g6 go out through node 2, g3 and g4 through node 3: each node's in the order it
        // routed them; nothing orders two nodes' signals against each other.
        b.send(new ClientMessage.SendSignal(2L, "chat", "g1", self));
        b.skipTo(ServerMessage.Ack.class);
        b.send(new ClientMessage.SendSignal(3L, "chat", "g2", null));
        b.skipTo(ServerMessage.Ack.class);
        c.send(new ClientMessage.SendSignal(1L, "chat", "g3", self));
        c.skipTo(ServerMessage.Ack.class);
        String path = ClusterFixture.sessionPath(sessionId);
        assertThat(cluster.rest(3, "POST", path + "/connection/" + self + "/signal",
                "{\"type\":\"chat\",\"data\":\"g4\"}").statusCode()).isEqualTo(204);
        assertThat(cluster.rest(2, "POST", path + "/signal", "{\"type\":\"chat\",\"data\":\"g5\"}").statusCode())
                .isEqualTo(204);
        b.send(new ClientMessage.SendSignal(4L, "chat", "g6", self));
        b.skipTo(ServerMessage.Ack.class);

        List<ServerMessage> answers = new ArrayList<>();
        RawClient resumed = ClusterFrames.resumeOn(cluster.node(2),
                new ClientMessage.Resume(1, sessionId, self, welcome.resumeToken(), 1L), answers);
        ServerMessage.Resumed answer = (ServerMessage.Resumed) answers.getFirst();
        // "before" may come again (node 1 was killed before its copy of the cursor reached Redis): a
        // client drops it by its ref, as the SDK does.
        assertThat(answer.replayed()).isBetween(6, 7);
        assertThat(answer.missed()).isZero();
        List<String> owed = new ArrayList<>(signals(resumed, answer.replayed()));
        if (owed.size() == 7) assertThat(owed.removeFirst()).isEqualTo("before");
        assertThat(owed).containsExactlyInAnyOrder("g1", "g2", "g3", "g4", "g5", "g6");
        assertThat(owed.stream().filter(d -> !d.equals("g3") && !d.equals("g4"))).containsExactly("g1", "g2", "g5", "g6");
        assertThat(owed.stream().filter(d -> d.equals("g3") || d.equals("g4"))).containsExactly("g3", "g4");

        // Live from node 2 on, after them, and nothing comes twice.
        c.send(new ClientMessage.SendSignal(2L, "chat", "after", self));
        assertThat(signals(resumed, 1)).containsExactly("after");
        ClusterFrames.assertNoSignal(resumed, Duration.ofSeconds(1));
        resumed.close();
    }

    @Test
    @DisplayName("a client that resumes on another node while its own lives (as behind a load balancer) is handed over: same connection, replay, no leave or join; and back again")
    void liveNodeHandsOver() throws Exception {
        Trio trio = trio(1, "s1");
        String sessionId = trio.sessionId();
        RawClient b = trio.b(), c = trio.c(), x = trio.x();
        ServerMessage.Connected welcome = trio.welcome();
        String self = welcome.self().id();

        // x's link drops; node 1 keeps what comes for it, from its own member and from node 2.
        x.close();
        b.send(new ClientMessage.SendSignal(2L, "chat", "g1", self));
        b.skipTo(ServerMessage.Ack.class);
        c.send(new ClientMessage.SendSignal(1L, "chat", "g2", self));
        c.skipTo(ServerMessage.Ack.class);
        b.send(new ClientMessage.SendSignal(3L, "chat", "g3", null));
        b.skipTo(ServerMessage.Ack.class);
        assertThat(signals(c, 1)).containsExactly("g3");

        List<ServerMessage> answers = new ArrayList<>();
        RawClient onTwo = ClusterFrames.resumeOn(cluster.node(2),
                new ClientMessage.Resume(1, sessionId, self, welcome.resumeToken(), 1L), answers);
        ServerMessage.Resumed answer = (ServerMessage.Resumed) answers.getFirst();
        assertThat(answer.replayed()).isEqualTo(3);
        assertThat(answer.missed()).isZero();
        List<String> kept = signals(onTwo, 3);
        assertThat(kept).containsExactlyInAnyOrder("g1", "g2", "g3");
        // b's in its order; c's (local to node 1) may come before b's first.
        assertThat(kept.stream().filter(d -> !d.equals("g2"))).containsExactly("g1", "g3");

        // Reached where it is now: from node 1 (through Redis), from node 2 (directly), from REST.
        c.send(new ClientMessage.SendSignal(2L, "chat", "h1", self));
        c.skipTo(ServerMessage.Ack.class);
        b.send(new ClientMessage.SendSignal(4L, "chat", "h2", self));
        b.skipTo(ServerMessage.Ack.class);
        assertThat(cluster.rest(3, "POST", ClusterFixture.sessionPath(sessionId) + "/connection/" + self + "/signal",
                "{\"type\":\"chat\",\"data\":\"h3\"}").statusCode()).isEqualTo(204);
        assertThat(signals(onTwo, 3)).containsExactlyInAnyOrder("h1", "h2", "h3");
        JsonNode list = new ObjectMapper().readTree(
                cluster.rest(3, "GET", ClusterFixture.sessionPath(sessionId) + "/connection", null).body());
        assertThat(list.get("count").asInt()).isEqualTo(3);

        // Dropped again and back on node 1: handed back, with what came meanwhile.
        onTwo.close();
        b.send(new ClientMessage.SendSignal(5L, "chat", "k1", self));
        b.skipTo(ServerMessage.Ack.class);
        answers.clear();
        RawClient onOne = ClusterFrames.resumeOn(cluster.node(1),
                new ClientMessage.Resume(1, sessionId, self, welcome.resumeToken(), 7L), answers);
        assertThat(((ServerMessage.Resumed) answers.getFirst()).replayed()).isEqualTo(1);
        assertThat(signals(onOne, 1)).containsExactly("k1");
        c.send(new ClientMessage.SendSignal(3L, "chat", "local again", self));
        assertThat(signals(onOne, 1)).containsExactly("local again");

        ClusterFrames.assertNoSignal(onOne, Duration.ofMillis(500));
        ClusterFrames.assertNone(b, ServerMessage.Left.class, Duration.ofSeconds(1));
        ClusterFrames.assertNone(c, ServerMessage.Left.class, Duration.ZERO);
        onOne.close();
    }

    @Test
    @DisplayName("a REST force disconnect of a connection whose node was found dead, before any node took it over: everyone hears it leave, and its resume is refused")
    void forceDisconnectWhileAwaitingTakeover() throws Exception {
        Trio trio = trio(3, "s1");
        String self = trio.welcome().self().id();
        cluster.node(1).kill();
        trio.x().close();
        // Found dead (its key expired, the reaper ran), not yet taken over: an orphan.
        Thread.sleep(RedisBackplane.NODE_TTL.plusSeconds(2).toMillis());

        assertThat(cluster.rest(2, "DELETE", ClusterFixture.sessionPath(trio.sessionId()) + "/connection/" + self, null)
                .statusCode()).isEqualTo(204);
        for (RawClient member : List.of(trio.b(), trio.c())) {
            ServerMessage.Left left = member.skipTo(ServerMessage.Left.class);
            assertThat(left.connectionId()).isEqualTo(self);
            assertThat(left.reason()).isEqualTo(io.signalbox.protocol.Reason.FORCE_DISCONNECTED);
        }
        JsonNode list = new ObjectMapper().readTree(
                cluster.rest(3, "GET", ClusterFixture.sessionPath(trio.sessionId()) + "/connection", null).body());
        assertThat(list.get("count").asInt()).isEqualTo(2);

        // A takeover would be possible now: it is refused for good instead.
        RawClient attempt = RawClient.open(cluster.node(2).ws());
        attempt.send(new ClientMessage.Resume(1, trio.sessionId(), self, trio.welcome().resumeToken(), 1L));
        assertThat(attempt.awaitClose(Duration.ofSeconds(10)).getCloseCode().getCode())
                .isEqualTo(io.signalbox.protocol.CloseCodes.RESUME_REFUSED);
        ClusterFrames.assertNone(trio.b(), ServerMessage.Left.class, Duration.ofSeconds(1));
    }

    @Test
    @DisplayName("a resume with the wrong token is refused for good by the node that does not have the connection")
    void wrongTokenIsRefused() throws Exception {
        cluster = ClusterFixture.start(2, "--reconnect-window", WINDOW.toSeconds() + "s");
        String sessionId = cluster.newSession();
        RawClient a = RawClient.open(cluster.node(1).ws());
        ServerMessage.Connected welcome = a.connect(sessionId, cluster.token(sessionId, "a"));
        cluster.node(1).kill();
        a.close();
        // Until the others find node 1 dead, the refusal would be a non-final "resume there".
        Thread.sleep(RedisBackplane.NODE_TTL.plusSeconds(2).toMillis());
        RawClient attempt = RawClient.open(cluster.node(2).ws());
        attempt.send(new ClientMessage.Resume(1, sessionId, welcome.self().id(), "not-the-token", 0L));
        assertThat(attempt.awaitClose(Duration.ofSeconds(10)).getCloseCode().getCode())
                .isEqualTo(io.signalbox.protocol.CloseCodes.RESUME_REFUSED);
    }
}
