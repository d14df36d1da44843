package io.signalbox.server;

import static io.signalbox.server.ClusterFrames.assertNoSignal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.protocol.WireError;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Redis stops and comes back, empty, while a cluster's clients keep sending. */
class ClusterOutageTest {
    private static final int BACKLOG = 20;

    private ClusterFixture cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    @Test
    @DisplayName("Redis down: health 503, local clients served, signals and joins/leaves for other nodes wait (signals bounded), in order, until it is back")
    void outageAndRecovery() throws Exception {
        cluster = ClusterFixture.start(2, "--redis-backlog", Integer.toString(BACKLOG));
        String sessionId = cluster.newSession();
        RawClient a = cluster.join(1, sessionId, "a");
        RawClient near = cluster.join(1, sessionId, "near");
        RawClient far = cluster.join(2, sessionId, "far");
        a.skipTo(ServerMessage.Joined.class);
        a.skipTo(ServerMessage.Joined.class);
        near.skipTo(ServerMessage.Joined.class);
        assertThat(cluster.health(1).statusCode()).isEqualTo(200);

        cluster.redis.stop();
        await().atMost(Duration.ofSeconds(5)).until(() ->
                cluster.health(1).statusCode() == 503 && cluster.health(2).statusCode() == 503);
        assertThat(cluster.health(1).body()).contains("\"redis\":\"down\"");

        // This node's clients go on: each signal to everyone reaches them at once.
        for (int i = 1; i <= BACKLOG; i++) {
            a.send(new ClientMessage.SendSignal((long) i, "n", Integer.toString(i), null));
            assertThat(a.skipTo(ServerMessage.Ack.class).seq()).isEqualTo(i);
            assertThat(near.skipTo(ServerMessage.Signal.class).data()).isEqualTo(Integer.toString(i));
        }
        // The backlog is full: the next signal fails whole, with words, and no one gets any of it.
        a.send(new ClientMessage.SendSignal(BACKLOG + 1L, "n", "refused", null));
        ServerMessage.Nack refused = a.skipTo(ServerMessage.Nack.class);
        assertThat(refused.seq()).isEqualTo(BACKLOG + 1L);
        assertThat(refused.code()).isEqualTo(WireError.INTERNAL_ERROR.code());
        assertThat(refused.message()).contains("Redis is away").contains("delivered to no one");
        assertNoSignal(a, Duration.ofMillis(300));
        assertNoSignal(near, Duration.ZERO);
        // Signals to this node alone need no Redis, backlog or not.
        a.send(new ClientMessage.SendSignal(BACKLOG + 2L, "n", "local", near.selfId()));
        assertThat(near.skipTo(ServerMessage.Signal.class).data()).isEqualTo("local");
        assertNoSignal(far, Duration.ZERO);
        // Joins and leaves go on too, each node's heard by its own members at once.
        near.send(new ClientMessage.Leave());
        assertThat(a.skipTo(ServerMessage.Left.class).connectionId()).isEqualTo(near.selfId());
        RawClient late = RawClient.open(cluster.node(2).ws());
        late.connect(sessionId, cluster.token(sessionId, "late"));
        assertThat(far.skipTo(ServerMessage.Joined.class).connection().id()).isEqualTo(late.selfId());

        cluster.redis.startAgain();
        for (int i = 1; i <= BACKLOG; i++) {
            ServerMessage.Signal got = far.skipTo(ServerMessage.Signal.class);
            assertThat(got.data()).isEqualTo(Integer.toString(i));
            assertThat(got.from()).isEqualTo(a.selfId());
        }
        // What each node kept of joins and leaves reaches the other, after the signals it kept.
        ServerMessage.Left nearLeft = far.skipTo(ServerMessage.Left.class);
        assertThat(nearLeft.connectionId()).isEqualTo(near.selfId());
        assertThat(nearLeft.reason()).isEqualTo(Reason.CLIENT_DISCONNECTED);
        assertThat(late.skipTo(ServerMessage.Left.class).connectionId()).isEqualTo(near.selfId());
        assertThat(a.skipTo(ServerMessage.Joined.class).connection().id()).isEqualTo(late.selfId());
        assertNoSignal(far, Duration.ofMillis(500));
        await().atMost(Duration.ofSeconds(10)).until(() ->
                cluster.health(1).statusCode() == 200 && cluster.health(2).statusCode() == 200);

        // Back to normal: straight through Redis again, both ways; and the list is whole again.
        a.send(new ClientMessage.SendSignal(BACKLOG + 3L, "n", "after", null));
        assertThat(far.skipTo(ServerMessage.Signal.class).data()).isEqualTo("after");
        far.send(new ClientMessage.SendSignal(1L, "n", "from far", null));
        assertThat(a.skipTo(ServerMessage.Signal.class).data()).isEqualTo("after");
        assertThat(a.skipTo(ServerMessage.Signal.class).data()).isEqualTo("from far");
        assertThat(late.skipTo(ServerMessage.Signal.class).data()).isEqualTo("after");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(cluster.rest(2, "GET",
                ClusterFixture.sessionPath(sessionId) + "/connection", null).body()).contains("\"count\":3"));
        // No one was reported gone by the outage.
        ClusterFrames.assertNone(far, ServerMessage.Left.class, Duration.ofSeconds(6));
        ClusterFrames.assertNone(a, ServerMessage.Left.class, Duration.ZERO);
        late.close();
    }

    @Test
    @DisplayName("after Redis came back empty, a node that dies still has its connections taken over, with their replay")
    void takeoverAfterRedisCameBackEmpty() throws Exception {
        cluster = ClusterFixture.start(2, "--reconnect-window", "30s");
        String sessionId = cluster.newSession();
        RawClient b = cluster.join(2, sessionId, "b");
        RawClient x = RawClient.open(cluster.node(1).ws());
        ServerMessage.Connected welcome = x.connect(sessionId, cluster.token(sessionId, "x"));
        b.skipTo(ServerMessage.Joined.class);
        b.send(new ClientMessage.SendSignal(1L, "n", "before", welcome.self().id()));
        assertThat(x.skipTo(ServerMessage.Signal.class).data()).isEqualTo("before");

        cluster.redis.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> cluster.health(1).statusCode() == 503);
        cluster.redis.startAgain();
        await().atMost(Duration.ofSeconds(10)).until(() ->
                cluster.health(1).statusCode() == 200 && cluster.health(2).statusCode() == 200);
        // Rejoined: node 1 has written again what a takeover of x needs, and b reaches x through Redis.
        await().atMost(Duration.ofSeconds(10)).until(() ->
                cluster.hget("signalbox:connection:" + welcome.self().id(), "session") != null);
        b.send(new ClientMessage.SendSignal(2L, "n", "probe", welcome.self().id()));
        assertThat(x.skipTo(ServerMessage.Signal.class).data()).isEqualTo("probe");
        b.send(new ClientMessage.SendSignal(3L, "n", "kept", welcome.self().id()));
        assertThat(x.skipTo(ServerMessage.Signal.class).data()).isEqualTo("kept");

        cluster.node(1).kill();
        x.close();
        List<ServerMessage> answers = new ArrayList<>();
        // The client says it has "before" only: the two after it come back from what node 1 wrote again.
        RawClient resumed = ClusterFrames.resumeOn(cluster.node(2),
                new ClientMessage.Resume(1, sessionId, welcome.self().id(), welcome.resumeToken(), 1L), answers);
        ServerMessage.Resumed answer = (ServerMessage.Resumed) answers.getFirst();
        assertThat(answer.replayed()).isEqualTo(2);
        assertThat(answer.missed()).isZero();
        assertThat(resumed.skipTo(ServerMessage.Signal.class).data()).isEqualTo("probe");
        assertThat(resumed.skipTo(ServerMessage.Signal.class).data()).isEqualTo("kept");
        assertNoSignal(resumed, Duration.ofMillis(500));
        resumed.close();
    }
}
