package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.CloseCodes;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.protocol.WireError;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The server's side of a resume: the connection outlives its socket for the reconnection window. */
class ResumeTest {

    @Test
    @DisplayName("a dropped connection stays in the session unseen, and on resume gets what was sent to it meanwhile, in order")
    void resumeReplaysWhatWasMissed() throws Exception {
        try (ServerFixture fx = new ServerFixture(); RawClient b = fx.join()) {
            RawClient a = RawClient.open(fx.server);
            ServerMessage.Connected welcome = a.connect(fx.sessionId, fx.token());
            b.skipTo(ServerMessage.Joined.class);
            a.send(new ClientMessage.SendSignal(1L, "mine", "before", null));
            a.skipTo(ServerMessage.Ack.class);
            a.close(); // a clean close without 'leave' is a lost link, not a leave
            awaitAway(fx, welcome.self().id());

            for (int i = 1; i <= 5; i++) b.send(new ClientMessage.SendSignal((long) i, "t", "all " + i, null));
            b.send(new ClientMessage.SendSignal(6L, "t", "only a", welcome.self().id()));
            b.skipTo(ServerMessage.Ack.class);
            for (int i = 1; i <= 5; i++) b.skipTo(ServerMessage.Ack.class);

            try (RawClient back = RawClient.open(fx.server)) {
                // a had received one signal (its own "before").
                back.send(new ClientMessage.Resume(1, fx.sessionId, welcome.self().id(), welcome.resumeToken(), 1L));
                ServerMessage.Resumed resumed = back.expect(ServerMessage.Resumed.class);
                assertThat(resumed.lastSeq()).isEqualTo(1L);
                assertThat(resumed.replayed()).isEqualTo(6);
                assertThat(resumed.missed()).isZero();
                assertThat(resumed.connections()).extracting(c -> c.id()).containsExactly(b.selfId());
                for (int i = 1; i <= 5; i++) assertThat(back.expect(ServerMessage.Signal.class).data()).isEqualTo("all " + i);
                ServerMessage.Signal direct = back.expect(ServerMessage.Signal.class);
                assertThat(direct.data()).isEqualTo("only a");
                assertThat(direct.direct()).isTrue();

                // Live again: new signals flow, and the others never saw it leave or join.
                b.send(new ClientMessage.SendSignal(7L, "t", "after", null));
                assertThat(back.skipTo(ServerMessage.Signal.class).data()).isEqualTo("after");
                String seenByB;
                while ((seenByB = b.pollRaw(Duration.ofMillis(200))) != null) {
                    assertThat(seenByB).doesNotContain("\"left\"").doesNotContain("\"joined\"");
                }
            }
        }
    }

    @Test
    @DisplayName("signals beyond the replay bound are counted as missed, and the newest are replayed")
    void replayBound() throws Exception {
        try (ServerFixture fx = new ServerFixture(c -> c.withReplayBounds(3, 1 << 20)); RawClient b = fx.join()) {
            RawClient a = RawClient.open(fx.server);
            ServerMessage.Connected welcome = a.connect(fx.sessionId, fx.token());
            a.close();
            awaitAway(fx, welcome.self().id());
            for (int i = 1; i <= 8; i++) b.send(new ClientMessage.SendSignal((long) i, "t", "n" + i, welcome.self().id()));
            for (int i = 1; i <= 8; i++) b.skipTo(ServerMessage.Ack.class);
            try (RawClient back = RawClient.open(fx.server)) {
                back.send(new ClientMessage.Resume(1, fx.sessionId, welcome.self().id(), welcome.resumeToken(), 0L));
                ServerMessage.Resumed resumed = back.expect(ServerMessage.Resumed.class);
                assertThat(resumed.replayed()).isEqualTo(3);
                assertThat(resumed.missed()).isEqualTo(5);
                assertThat(back.expect(ServerMessage.Signal.class).data()).isEqualTo("n6");
                assertThat(back.expect(ServerMessage.Signal.class).data()).isEqualTo("n7");
                assertThat(back.expect(ServerMessage.Signal.class).data()).isEqualTo("n8");
            }
        }
    }

    @Test
    @DisplayName("on resume the client learns the refusals among its latest signals")
    void resumeCarriesNacks() throws Exception {
        try (ServerFixture fx = new ServerFixture()) {
            RawClient a = RawClient.open(fx.server);
            ServerMessage.Connected welcome = a.connect(fx.sessionId, fx.token());
            a.send(new ClientMessage.SendSignal(1L, "t", "x", "nobody"));
            a.skipTo(ServerMessage.Nack.class);
            a.close();
            awaitAway(fx, welcome.self().id());
            try (RawClient back = RawClient.open(fx.server)) {
                back.send(new ClientMessage.Resume(1, fx.sessionId, welcome.self().id(), welcome.resumeToken(), 0L));
                ServerMessage.Resumed resumed = back.expect(ServerMessage.Resumed.class);
                assertThat(resumed.lastSeq()).isEqualTo(1L);
                assertThat(resumed.nacks()).singleElement().satisfies(n -> {
                    assertThat(n.seq()).isEqualTo(1L);
                    assertThat(WireError.fromCode(n.code())).isEqualTo(WireError.CONNECTION_NOT_FOUND);
                });
            }
        }
    }

    @Test
    @DisplayName("a resume with the wrong secret, or of an unknown connection, is refused with 4013")
    void resumeRefused() throws Exception {
        try (ServerFixture fx = new ServerFixture()) {
            RawClient a = RawClient.open(fx.server);
            ServerMessage.Connected welcome = a.connect(fx.sessionId, fx.token());
            a.close();
            try (RawClient back = RawClient.open(fx.server)) {
                back.send(new ClientMessage.Resume(1, fx.sessionId, welcome.self().id(), "not-the-secret", 0L));
                assertThat(back.expect(ServerMessage.Error.class).code()).isEqualTo(WireError.RESUME_REFUSED.code());
                assertThat(back.awaitClose().getCloseCode().getCode()).isEqualTo(CloseCodes.RESUME_REFUSED);
            }
            try (RawClient back = RawClient.open(fx.server)) {
                back.send(new ClientMessage.Resume(1, fx.sessionId, "no-such-connection", welcome.resumeToken(), 0L));
                assertThat(back.awaitClose().getCloseCode().getCode()).isEqualTo(CloseCodes.RESUME_REFUSED);
            }
        }
    }

    @Test
    @DisplayName("when the window runs out the others see the connection leave as network disconnected, and it can no longer resume")
    void windowExpires() throws Exception {
        try (ServerFixture fx = new ServerFixture(c -> c.withReconnectWindow(Duration.ofMillis(400)));
             RawClient b = fx.join()) {
            RawClient a = RawClient.open(fx.server);
            ServerMessage.Connected welcome = a.connect(fx.sessionId, fx.token());
            b.skipTo(ServerMessage.Joined.class);
            a.close();
            ServerMessage.Left left = b.skipTo(ServerMessage.Left.class);
            assertThat(left.connectionId()).isEqualTo(welcome.self().id());
            assertThat(left.reason()).isEqualTo(Reason.NETWORK_DISCONNECTED);
            try (RawClient back = RawClient.open(fx.server)) {
                back.send(new ClientMessage.Resume(1, fx.sessionId, welcome.self().id(), welcome.resumeToken(), 0L));
                assertThat(back.awaitClose().getCloseCode().getCode()).isEqualTo(CloseCodes.RESUME_REFUSED);
            }
        }
    }

    @Test
    @DisplayName("a client that resumes learns who left while it was away, and why")
    void departuresWhileAway() throws Exception {
        try (ServerFixture fx = new ServerFixture(); RawClient b = fx.join()) {
            RawClient a = RawClient.open(fx.server);
            ServerMessage.Connected welcome = a.connect(fx.sessionId, fx.token());
            a.close();
            awaitAway(fx, welcome.self().id());
            b.send(new ClientMessage.Leave());
            b.awaitClose();
            try (RawClient back = RawClient.open(fx.server)) {
                back.send(new ClientMessage.Resume(1, fx.sessionId, welcome.self().id(), welcome.resumeToken(), 0L));
                ServerMessage.Resumed resumed = back.expect(ServerMessage.Resumed.class);
                assertThat(resumed.connections()).isEmpty();
                assertThat(resumed.departed()).singleElement().satisfies(d -> {
                    assertThat(d.connectionId()).isEqualTo(b.selfId());
                    assertThat(d.reason()).isEqualTo(Reason.CLIENT_DISCONNECTED);
                });
            }
        }
    }

    private static void awaitAway(ServerFixture fx, String connectionId) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
                .until(() -> fx.server.isAway(fx.sessionId, connectionId));
    }
}
