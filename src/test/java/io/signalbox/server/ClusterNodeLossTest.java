package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.server.redis.RedisBackplane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A node of a cluster dies and its clients never come back: its connections leave the session
 * everywhere else, once, when their reconnection window has run out (they might have resumed on
 * another node until then).
 */
class ClusterNodeLossTest {
    private static final Duration WINDOW = Duration.ofSeconds(3);
    private ClusterFixture cluster;

    @AfterEach
    void stop() throws Exception {
        if (cluster != null) cluster.close();
    }

    @Test
    @DisplayName("a node killed outright, its clients gone too: the others report its connections left (network disconnected) once, after the window")
    void killedNodesConnectionsLeave() throws Exception {
        cluster = ClusterFixture.start(3, "--reconnect-window", WINDOW.toSeconds() + "s");
        String sessionId = cluster.newSession();
        RawClient a = cluster.join(1, sessionId, "a");
        RawClient b = cluster.join(2, sessionId, "b");
        a.skipTo(ServerMessage.Joined.class);
        RawClient k1 = cluster.join(3, sessionId, "k1");
        RawClient k2 = cluster.join(3, sessionId, "k2");
        for (RawClient survivor : List.of(a, b)) {
            survivor.skipTo(ServerMessage.Joined.class);
            survivor.skipTo(ServerMessage.Joined.class);
        }

        long killedAt = System.nanoTime();
        cluster.node(3).kill();
        // The clients of the dead node are gone with it: no resume will come.
        k1.close();
        k2.close();

        for (RawClient survivor : List.of(a, b)) {
            List<String> gone = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                ServerMessage.Left left = survivor.skipTo(ServerMessage.Left.class);
                assertThat(left.reason()).isEqualTo(Reason.NETWORK_DISCONNECTED);
                gone.add(left.connectionId());
            }
            assertThat(gone).containsExactlyInAnyOrder(k1.selfId(), k2.selfId());
        }
        Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
        // Not while they might still resume elsewhere; then within the node key's expiry (NODE_TTL after
        // the last refresh), the window, and a second or two of the reapers' rounds.
        assertThat(took).isGreaterThanOrEqualTo(WINDOW);
        assertThat(took).isLessThan(RedisBackplane.NODE_TTL.plus(WINDOW).plusSeconds(4));
        ClusterFrames.assertNone(a, ServerMessage.Left.class, Duration.ofMillis(1500));
        ClusterFrames.assertNone(b, ServerMessage.Left.class, Duration.ZERO);

        JsonNode list = new ObjectMapper().readTree(
                cluster.rest(1, "GET", ClusterFixture.sessionPath(sessionId) + "/connection", null).body());
        assertThat(list.get("count").asInt()).isEqualTo(2);

        // The survivors still talk across their nodes.
        a.send(new ClientMessage.SendSignal(1L, "chat", "still here", null));
        assertThat(b.skipTo(ServerMessage.Signal.class).data()).isEqualTo("still here");
    }
}
