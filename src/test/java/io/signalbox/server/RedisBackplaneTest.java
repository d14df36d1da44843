package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.signalbox.protocol.ConnectionInfo;
import io.signalbox.protocol.Reason;
import io.signalbox.server.redis.Backplane;
import io.signalbox.server.redis.BackplaneUnavailableException;
import io.signalbox.server.redis.ClusterEvent;
import io.signalbox.server.redis.RedisBackplane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Redis backplane on its own: two nodes in this JVM on a Redis of the test's own. */
class RedisBackplaneTest {
    private static final String SESSION = "1_session";

    /** What a node's registry is told, in order. */
    private static final class Recorder implements Backplane.Listener {
        final List<ClusterEvent> events = new CopyOnWriteArrayList<>();
        final List<String> positions = new CopyOnWriteArrayList<>();
        final List<String> lost = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(String sessionId, ClusterEvent event, String position) {
            events.add(event);
            if (position != null) positions.add(position);
        }

        @Override
        public void onConnectionsLost(String sessionId, List<String> connectionIds) {
            for (String id : connectionIds) lost.add(sessionId + "/" + id);
        }

        @Override
        public Map<String, List<ConnectionInfo>> localConnections() {
            return Map.of();
        }

        @Override
        public void onRejoined() {}

        @Override
        public boolean settled(String sessionId) {
            return true;
        }

        @Override
        public void onRecovered() {}
    }

    private RedisFixture redis;
    private final List<RedisBackplane> nodes = new ArrayList<>();
    private RedisClient inspector;
    private StatefulRedisConnection<String, String> raw;

    @BeforeEach
    void start() throws Exception {
        redis = RedisFixture.start();
        inspector = RedisClient.create(redis.uri().toString());
        raw = inspector.connect();
    }

    @AfterEach
    void stop() throws Exception {
        for (RedisBackplane node : nodes) node.close();
        raw.close();
        inspector.shutdown();
        redis.close();
    }

    private RedisBackplane node(Recorder recorder, int backlog) {
        RedisBackplane node = new RedisBackplane(redis.uri(), backlog);
        nodes.add(node);
        node.start(recorder);
        return node;
    }

    @Test
    @DisplayName("one node's events reach the other in the order published; a node does not hear its own")
    void eventsInOrder() {
        Recorder a = new Recorder(), b = new Recorder();
        RedisBackplane nodeA = node(a, 10);
        RedisBackplane nodeB = node(b, 10);
        nodeA.subscribe(SESSION);
        nodeB.subscribe(SESSION);

        for (int i = 0; i < 500; i++) {
            assertThat(nodeA.publishSignal(SESSION, new ClusterEvent.Signal("n", Integer.toString(i), "x", null, i, i))).isNotNull();
        }
        nodeA.publish(SESSION, new ClusterEvent.Left("x", Reason.CLIENT_DISCONNECTED));

        await().atMost(Duration.ofSeconds(10)).until(() -> b.events.size() == 501);
        for (int i = 0; i < 500; i++) {
            assertThat(((ClusterEvent.Signal) b.events.get(i)).data()).isEqualTo(Integer.toString(i));
        }
        assertThat(b.events.get(500)).isEqualTo(new ClusterEvent.Left("x", Reason.CLIENT_DISCONNECTED));
        assertThat(a.events).isEmpty();
    }

    @Test
    @DisplayName("signals are kept in the session's bounded stream at the positions they are heard with; a read after a position has what followed, and says when the bound dropped some")
    void signalHistory() {
        Recorder b = new Recorder();
        RedisBackplane nodeA = node(new Recorder(), 10);
        RedisBackplane nodeB = node(b, 10);
        nodeB.subscribe(SESSION);
        for (int i = 0; i < 3; i++) {
            nodeA.publishSignal(SESSION, new ClusterEvent.Signal("n", Integer.toString(i), "x", i == 1 ? "y" : null, i, i));
        }
        nodeA.publish(SESSION, new ClusterEvent.Left("x", Reason.CLIENT_DISCONNECTED));
        await().atMost(Duration.ofSeconds(10)).until(() -> b.events.size() == 4);
        assertThat(b.positions).hasSize(3);
        assertThat(Backplane.comparePositions(b.positions.get(0), b.positions.get(1))).isNegative();
        assertThat(Backplane.comparePositions(b.positions.get(2), b.positions.get(1))).isPositive();
        assertThat(Backplane.comparePositions(b.positions.get(1), b.positions.get(1))).isZero();

        Backplane.SignalHistory after = nodeB.signalsAfter(SESSION, b.positions.getFirst());
        assertThat(after.signals()).extracting(Backplane.PastSignal::position).containsExactlyElementsOf(b.positions.subList(1, 3));
        assertThat(after.signals()).extracting(past -> past.signal().data()).containsExactly("1", "2");
        assertThat(after.signals()).extracting(past -> past.signal().to()).containsExactly("y", null);
        assertThat(after.signals()).extracting(Backplane.PastSignal::node).containsOnly(nodeA.nodeId());
        assertThat(after.last()).isEqualTo(b.positions.get(2));
        assertThat(after.trimmed()).isFalse();
        Backplane.SignalHistory none = nodeB.signalsAfter(SESSION, b.positions.get(2));
        assertThat(none.signals()).isEmpty();
        assertThat(none.last()).isEqualTo(b.positions.get(2));
        assertThat(raw.sync().pttl("signalbox:session:" + SESSION + ":signals")).isPositive();

        // Past the bound, the oldest go, in whole blocks; a read from before them says so, and reads
        // the rest in pages.
        int more = RedisBackplane.SIGNAL_HISTORY + 1_000;
        for (int i = 0; i < more; i++) nodeA.publishSignal(SESSION, new ClusterEvent.Signal("n", "m" + i, "x", null, i, i));
        String last = "m" + (more - 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            List<Backplane.PastSignal> read = nodeB.signalsAfter(SESSION, b.positions.get(2)).signals();
            return !read.isEmpty() && read.getLast().signal().data().equals(last);
        });
        Backplane.SignalHistory trimmed = nodeB.signalsAfter(SESSION, b.positions.getFirst());
        assertThat(trimmed.trimmed()).isTrue();
        assertThat(trimmed.signals().size()).isBetween(RedisBackplane.SIGNAL_HISTORY, more);
        assertThat(trimmed.signals().getLast().signal().data()).isEqualTo(last);
        assertThat(trimmed.last()).isEqualTo(trimmed.signals().getLast().position());
        List<Backplane.PastSignal> kept = trimmed.signals();
        Backplane.SignalHistory recent = nodeB.signalsAfter(SESSION, kept.get(kept.size() - 3).position());
        assertThat(recent.trimmed()).isFalse();
        assertThat(recent.signals()).extracting(past -> past.signal().data()).containsExactly("m" + (more - 2), last);
    }

    @Test
    @DisplayName("the shared list has every node's connections with their node, and expires unless refreshed")
    void registryWithExpiry() {
        RedisBackplane nodeA = node(new Recorder(), 10);
        RedisBackplane nodeB = node(new Recorder(), 10);
        nodeA.register(SESSION, new ConnectionInfo("ca", 1, "a"));
        nodeB.register(SESSION, new ConnectionInfo("cb", 2, "b"));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            Map<String, Backplane.Member> members = nodeB.connections(SESSION);
            assertThat(members.keySet()).containsExactlyInAnyOrder("ca", "cb");
            assertThat(members.get("ca").node()).isEqualTo(nodeA.nodeId());
            assertThat(members.get("cb").connection()).isEqualTo(new ConnectionInfo("cb", 2, "b"));
        });
        long listTtl = raw.sync().pttl("signalbox:session:" + SESSION + ":connections");
        long nodeTtl = raw.sync().pttl("signalbox:node:" + nodeA.nodeId());
        assertThat(listTtl).isPositive().isLessThanOrEqualTo(60_000);
        assertThat(nodeTtl).isPositive().isLessThanOrEqualTo(RedisBackplane.NODE_TTL.toMillis());

        nodeA.unregister(SESSION, "ca");
        await().atMost(Duration.ofSeconds(5)).until(() -> !nodeB.connections(SESSION).containsKey("ca"));
    }

    @Test
    @DisplayName("a node gone: another takes its connections out of the shared list and reports them once")
    void deadNodeIsReaped() {
        Recorder a = new Recorder(), c = new Recorder();
        RedisBackplane nodeA = node(a, 10);
        RedisBackplane nodeB = node(new Recorder(), 10);
        RedisBackplane nodeC = node(c, 10);
        nodeB.subscribe(SESSION);
        nodeB.register(SESSION, new ConnectionInfo("cb", 2, "b"));
        nodeA.register(SESSION, new ConnectionInfo("ca", 1, "a"));
        await().atMost(Duration.ofSeconds(5)).until(() -> nodeA.connections(SESSION).size() == 2);

        nodeB.close();

        await().atMost(RedisBackplane.NODE_TTL).until(() -> a.lost.size() + c.lost.size() == 1);
        assertThat(nodeA.connections(SESSION).keySet()).containsExactly("ca");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> a.lost.size() + c.lost.size() == 1);
        List<String> all = new ArrayList<>(a.lost);
        all.addAll(c.lost);
        assertThat(all).containsExactly(SESSION + "/cb");
    }

    @Test
    @DisplayName("Redis away: signals wait up to the bound and go out in order when it is back; membership is never refused; queries fail in words")
    void backlogWhileAway() throws Exception {
        Recorder b = new Recorder();
        RedisBackplane nodeA = node(new Recorder(), 3);
        RedisBackplane nodeB = node(b, 3);
        nodeB.subscribe(SESSION);

        redis.stop();
        await().atMost(Duration.ofSeconds(5)).until(() -> !nodeA.available());
        for (int i = 0; i < 3; i++) {
            assertThat(nodeA.publishSignal(SESSION, new ClusterEvent.Signal("n", Integer.toString(i), "x", null, i, i))).isNotNull();
        }
        assertThat(nodeA.publishSignal(SESSION, new ClusterEvent.Signal("n", "refused", "x", null, 3, 3))).isNull();
        nodeA.publish(SESSION, new ClusterEvent.Left("x", Reason.CLIENT_DISCONNECTED));
        assertThat(nodeA.backlog()).isEqualTo(4);
        assertThatThrownBy(() -> nodeA.connections(SESSION))
                .isInstanceOf(BackplaneUnavailableException.class).hasMessageContaining("does not answer");

        redis.startAgain();
        await().atMost(Duration.ofSeconds(10)).until(() -> b.events.size() == 4);
        assertThat(b.events).extracting(e -> e instanceof ClusterEvent.Signal s ? s.data() : "left")
                .containsExactly("0", "1", "2", "left");
        await().atMost(Duration.ofSeconds(5)).until(() -> nodeA.available() && nodeA.backlog() == 0);
    }
}
