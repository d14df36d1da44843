package io.signalbox.server;

import static io.signalbox.server.ClusterFrames.assertNoSignal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.CloseCodes;
import io.signalbox.protocol.ConnectionInfo;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The signaling contract across the nodes of a cluster: three server processes sharing one Redis, the
 * clients of each test spread over them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterTest {
    private static final Duration QUIET = Duration.ofMillis(500);

    private ClusterFixture cluster;
    private final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    void startCluster() throws Exception {
        cluster = ClusterFixture.start(3);
    }

    @AfterAll
    void stopCluster() throws Exception {
        if (cluster != null) cluster.close();
    }

    /** One client on each node, each having heard of the others joining. */
    private List<RawClient> oneOnEachNode(String sessionId) throws Exception {
        RawClient a = cluster.join(1, sessionId, "a");
        RawClient b = cluster.join(2, sessionId, "b");
        assertThat(a.skipTo(ServerMessage.Joined.class).connection().id()).isEqualTo(b.selfId());
        RawClient c = cluster.join(3, sessionId, "c");
        assertThat(a.skipTo(ServerMessage.Joined.class).connection().id()).isEqualTo(c.selfId());
        assertThat(b.skipTo(ServerMessage.Joined.class).connection().id()).isEqualTo(c.selfId());
        return List.of(a, b, c);
    }

    @Test
    @DisplayName("a signal to one connection reaches it on another node, and no one else")
    void toOneAcrossNodes() throws Exception {
        List<RawClient> clients = oneOnEachNode(cluster.newSession());
        RawClient a = clients.get(0), b = clients.get(1), c = clients.get(2);

        a.send(new ClientMessage.SendSignal(1L, "chat", "for b alone", b.selfId()));

        assertThat(a.skipTo(ServerMessage.Ack.class).seq()).isEqualTo(1);
        ServerMessage.Signal got = b.skipTo(ServerMessage.Signal.class);
        assertThat(got.data()).isEqualTo("for b alone");
        assertThat(got.from()).isEqualTo(a.selfId());
        assertThat(got.direct()).isTrue();
        assertNoSignal(c, QUIET);
        assertNoSignal(a, Duration.ZERO);
    }

    @Test
    @DisplayName("a signal to everyone reaches every node's clients, the sender included")
    void toAllAcrossNodes() throws Exception {
        List<RawClient> clients = oneOnEachNode(cluster.newSession());
        RawClient b = clients.get(1);

        b.send(new ClientMessage.SendSignal(1L, "chat", "hello all", null));

        for (RawClient client : clients) {
            ServerMessage.Signal got = client.skipTo(ServerMessage.Signal.class);
            assertThat(got.data()).isEqualTo("hello all");
            assertThat(got.from()).isEqualTo(b.selfId());
            assertThat(got.direct()).isFalse();
        }
    }

    @Test
    @DisplayName("two senders on different nodes: each one's signals reach every receiver in order, none lost or doubled")
    void perSenderOrderUnderLoad() throws Exception {
        List<RawClient> clients = oneOnEachNode(cluster.newSession());
        RawClient a = clients.get(0), b = clients.get(1);
        int count = 1500;

        Thread other = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < count; i++) b.send(new ClientMessage.SendSignal(i + 1L, "n", Integer.toString(i), null));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < count; i++) a.send(new ClientMessage.SendSignal(i + 1L, "n", Integer.toString(i), null));
        other.join();

        for (RawClient receiver : clients) {
            Map<String, List<Integer>> bySender = new HashMap<>();
            for (int i = 0; i < 2 * count; i++) {
                ServerMessage.Signal got = receiver.skipTo(ServerMessage.Signal.class);
                bySender.computeIfAbsent(got.from(), k -> new ArrayList<>()).add(Integer.parseInt(got.data()));
            }
            List<Integer> expected = IntStream.range(0, count).boxed().toList();
            assertThat(bySender.get(a.selfId())).as("a's signals at %s", receiver.selfId()).isEqualTo(expected);
            assertThat(bySender.get(b.selfId())).as("b's signals at %s", receiver.selfId()).isEqualTo(expected);
            assertNoSignal(receiver, Duration.ofMillis(200));
        }
    }

    @Test
    @DisplayName("joins and leaves reach the members on other nodes, with the reason; a newcomer is told of everyone")
    void connectionEventsAcrossNodes() throws Exception {
        String sessionId = cluster.newSession();
        RawClient a = cluster.join(1, sessionId, "a");
        RawClient b = RawClient.open(cluster.node(2).ws());
        ServerMessage.Connected welcomeB = b.connect(sessionId, cluster.token(sessionId, "name=b"));
        assertThat(welcomeB.connections()).extracting(ConnectionInfo::id).containsExactly(a.selfId());
        ServerMessage.Joined joined = a.skipTo(ServerMessage.Joined.class);
        assertThat(joined.connection().id()).isEqualTo(b.selfId());
        assertThat(joined.connection().data()).isEqualTo("name=b");

        RawClient c = RawClient.open(cluster.node(3).ws());
        ServerMessage.Connected welcomeC = c.connect(sessionId, cluster.token(sessionId, "c"));
        assertThat(welcomeC.connections()).extracting(ConnectionInfo::id).containsExactlyInAnyOrder(a.selfId(), b.selfId());
        a.skipTo(ServerMessage.Joined.class);
        b.skipTo(ServerMessage.Joined.class);

        b.send(new ClientMessage.Leave());
        for (RawClient other : List.of(a, c)) {
            ServerMessage.Left left = other.skipTo(ServerMessage.Left.class);
            assertThat(left.connectionId()).isEqualTo(b.selfId());
            assertThat(left.reason()).isEqualTo(Reason.CLIENT_DISCONNECTED);
        }

        HttpResponse<String> kicked = cluster.rest(1, "DELETE",
                ClusterFixture.sessionPath(sessionId) + "/connection/" + c.selfId(), null);
        assertThat(kicked.statusCode()).isEqualTo(204);
        assertThat(c.awaitClose().getCloseCode().getCode()).isEqualTo(CloseCodes.FORCE_DISCONNECTED);
        ServerMessage.Left left = a.skipTo(ServerMessage.Left.class);
        assertThat(left.connectionId()).isEqualTo(c.selfId());
        assertThat(left.reason()).isEqualTo(Reason.FORCE_DISCONNECTED);
        b.close();
    }

    @Test
    @DisplayName("REST calls to a node with none of the session's clients list, signal and disconnect them on the others")
    void restThroughAnotherNode() throws Exception {
        String sessionId = cluster.newSession();
        RawClient a = cluster.join(1, sessionId, "a");
        RawClient b = cluster.join(2, sessionId, "b");
        a.skipTo(ServerMessage.Joined.class);
        String path = ClusterFixture.sessionPath(sessionId);

        HttpResponse<String> list = cluster.rest(3, "GET", path + "/connection", null);
        assertThat(list.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(list.body());
        assertThat(body.get("count").asInt()).isEqualTo(2);
        List<String> ids = new ArrayList<>();
        body.get("items").forEach(item -> ids.add(item.get("connectionId").asText()));
        assertThat(ids).containsExactly(a.selfId(), b.selfId());

        assertThat(cluster.rest(3, "POST", path + "/connection/" + a.selfId() + "/signal",
                "{\"type\":\"note\",\"data\":\"to a\"}").statusCode()).isEqualTo(204);
        ServerMessage.Signal toA = a.skipTo(ServerMessage.Signal.class);
        assertThat(toA.data()).isEqualTo("to a");
        assertThat(toA.from()).isNull();
        assertThat(toA.direct()).isTrue();
        assertNoSignal(b, QUIET);

        assertThat(cluster.rest(3, "POST", path + "/signal", "{\"type\":\"note\",\"data\":\"to all\"}").statusCode())
                .isEqualTo(204);
        for (RawClient client : List.of(a, b)) {
            ServerMessage.Signal got = client.skipTo(ServerMessage.Signal.class);
            assertThat(got.data()).isEqualTo("to all");
            assertThat(got.from()).isNull();
        }

        assertThat(cluster.rest(3, "POST", path + "/connection/no-such-connection/signal",
                "{\"type\":\"note\",\"data\":\"x\"}").statusCode()).isEqualTo(404);
        assertThat(cluster.rest(3, "DELETE", path + "/connection/no-such-connection", null).statusCode()).isEqualTo(404);

        assertThat(cluster.rest(3, "DELETE", path + "/connection/" + b.selfId(), null).statusCode()).isEqualTo(204);
        assertThat(b.awaitClose().getCloseCode().getCode()).isEqualTo(CloseCodes.FORCE_DISCONNECTED);
        assertThat(a.skipTo(ServerMessage.Left.class).reason()).isEqualTo(Reason.FORCE_DISCONNECTED);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(json.readTree(cluster.rest(2, "GET", path + "/connection", null).body()).get("count").asInt())
                        .isEqualTo(1));
    }

    @Test
    @DisplayName("a client that drops and resumes on its node gets what another node sent meanwhile, in order; no one sees it leave")
    void resumeOnItsNode() throws Exception {
        String sessionId = cluster.newSession();
        RawClient a = cluster.join(1, sessionId, "a");
        RawClient b = RawClient.open(cluster.node(2).ws());
        ServerMessage.Connected welcome = b.connect(sessionId, cluster.token(sessionId, "b"));
        String bId = welcome.self().id();
        a.skipTo(ServerMessage.Joined.class);

        b.close();
        for (int i = 1; i <= 5; i++) a.send(new ClientMessage.SendSignal((long) i, "t", "all " + i, null));
        a.send(new ClientMessage.SendSignal(6L, "t", "only b", bId));
        for (int i = 1; i <= 6; i++) assertThat(a.skipTo(ServerMessage.Ack.class).seq()).isEqualTo(i);

        try (RawClient back = RawClient.open(cluster.node(2).ws())) {
            back.send(new ClientMessage.Resume(1, sessionId, bId, welcome.resumeToken(), 0L));
            ServerMessage.Resumed resumed = back.expect(ServerMessage.Resumed.class);
            // Those that crossed to b's node before the resume are replayed, the rest follow live.
            assertThat(resumed.replayed()).isBetween(0, 6);
            assertThat(resumed.missed()).isZero();
            assertThat(resumed.connections()).extracting(ConnectionInfo::id).contains(a.selfId());
            for (int i = 1; i <= 5; i++) assertThat(back.expect(ServerMessage.Signal.class).data()).isEqualTo("all " + i);
            assertThat(back.expect(ServerMessage.Signal.class).data()).isEqualTo("only b");

            a.send(new ClientMessage.SendSignal(7L, "t", "after", null));
            assertThat(back.skipTo(ServerMessage.Signal.class).data()).isEqualTo("after");
            String seenByA;
            while ((seenByA = a.pollRaw(QUIET)) != null) assertThat(seenByA).doesNotContain(bId);
        }
    }

    @Test
    @DisplayName("every node reports itself healthy and names itself while Redis is up")
    void healthNamesTheNode() throws Exception {
        for (int node = 1; node <= 3; node++) {
            HttpResponse<String> health = cluster.health(node);
            assertThat(health.statusCode()).isEqualTo(200);
            JsonNode body = json.readTree(health.body());
            assertThat(body.get("redis").asText()).isEqualTo("up");
            assertThat(body.get("node").asText()).isNotBlank();
        }
    }
}
