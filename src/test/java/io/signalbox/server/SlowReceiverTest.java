package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.Reason;
import io.signalbox.protocol.ServerMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SlowReceiverTest {
    // It sends 12 MB as fast as it can: the rate limits, not the slow receiver, would be what it met.
    private final ServerFixture fx = new ServerFixture(c -> c.withQueueBounds(64, 256 * 1024)
            .withRateLimits(RateLimits.unlimited()));

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    @DisplayName("a receiver that stops reading is closed as too slow, and holds up no one else")
    void stalledReceiverIsCutOff() throws Exception {
        try (SocketClient stalled = SocketClient.stalled(fx.server, fx.sessionId, fx.token());
             RawClient sender = RawClient.open(fx.server);
             RawClient reader = RawClient.open(fx.server)) {
            ServerMessage.Connected welcome = sender.connect(fx.sessionId, fx.token());
            assertThat(welcome.connections()).hasSize(1);
            String stalledId = welcome.connections().getFirst().id();
            reader.connect(fx.sessionId, fx.token());

            String payload = "p".repeat(8000);
            int count = 1500; // about 12 MB: far more than socket buffers and the 256 KiB bound hold
            for (int i = 1; i <= count; i++) {
                sender.send(new ClientMessage.SendSignal((long) i, "bulk", i + ":" + payload, null));
            }
            for (int i = 1; i <= count; i++) {
                ServerMessage.Signal s = reader.skipTo(ServerMessage.Signal.class);
                assertThat(s.data()).startsWith(i + ":");
            }
            ServerMessage.Left left = sender.skipTo(ServerMessage.Left.class);
            assertThat(left.connectionId()).isEqualTo(stalledId);
            assertThat(left.reason()).isEqualTo(Reason.SERVER_CLOSED);
            assertThat(fx.server.connectionCount()).isEqualTo(2);
        }
    }
}
