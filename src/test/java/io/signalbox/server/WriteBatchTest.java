package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.ServerMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Frames held for a write batch (what one read of a socket brought in) go out complete, in order, and
 * without waiting for anything but the end of that read.
 */
class WriteBatchTest {
    private static final int BURST = 300;

    private final ServerFixture fx = new ServerFixture(c -> c.withRateLimits(RateLimits.unlimited()));

    @AfterEach
    void stop() {
        fx.close();
    }

    /**
     * A sender on a plain socket, joined, its welcome read. Joined after the receiver, so that its
     * first frames are its own signals, not a "joined".
     */
    private SocketClient joinedSender() throws Exception {
        SocketClient sender = SocketClient.open(fx.server);
        sender.send(new ClientMessage.Connect(1, fx.sessionId, fx.token()));
        sender.skipTo(ServerMessage.Connected.class);
        return sender;
    }

    /** {@link #BURST} signals to everyone, numbered from 1. */
    private static List<ClientMessage> burst() {
        List<ClientMessage> burst = new ArrayList<>();
        for (long i = 1; i <= BURST; i++) burst.add(new ClientMessage.SendSignal(i, "burst", "n" + i, null));
        return burst;
    }

    @Test
    @DisplayName("signals read together reach everyone complete and in order, each before its ack")
    void burstArrivesInOrder() throws Exception {
        try (RawClient receiver = fx.join();
             SocketClient sender = joinedSender()) {

            sender.sendAll(burst());

            for (int i = 1; i <= BURST; i++) {
                assertThat(receiver.skipTo(ServerMessage.Signal.class).data()).isEqualTo("n" + i);
            }
            // The sender is one of everyone: its copy of each signal comes before the signal's ack.
            for (long i = 1; i <= BURST; i++) {
                assertThat(((ServerMessage.Signal) sender.receive()).data()).isEqualTo("n" + i);
                assertThat(((ServerMessage.Ack) sender.receive()).seq()).isEqualTo(i);
            }
        }
    }

    @Test
    @DisplayName("a lone signal is written at once, not held for a batch that has ended")
    void loneSignalIsNotHeld() throws Exception {
        try (RawClient receiver = fx.join();
             SocketClient sender = joinedSender()) {
            for (long i = 1; i <= 20; i++) {
                long start = System.nanoTime();
                sender.send(new ClientMessage.SendSignal(i, "lone", "n" + i, receiver.selfId()));
                assertThat(receiver.skipTo(ServerMessage.Signal.class).data()).isEqualTo("n" + i);
                assertThat(sender.skipTo(ServerMessage.Ack.class).seq()).isEqualTo(i);
                // Held frames would wait for the sender's next message, which comes only after this.
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            }
        }
    }

    @Test
    @DisplayName("frames to a receiver from a sender's burst and from the REST API all arrive, each source in order")
    void restSignalsInterleaveWithHeldFrames() throws Exception {
        try (RawClient receiver = fx.join();
             SocketClient sender = joinedSender()) {
            String auth = fx.server.projectAuth().mint(Duration.ofMinutes(3));
            URI signalAll = fx.server.uri().resolve("/v2/project/" + fx.server.credentials().apiKey()
                    + "/session/" + fx.sessionId + "/signal");
            List<Integer> statuses = new CopyOnWriteArrayList<>();
            Thread rest = Thread.ofVirtual().start(() -> {
                try (HttpClient http = HttpClient.newHttpClient()) {
                    for (int i = 1; i <= 50; i++) {
                        HttpRequest request = HttpRequest.newBuilder(signalAll)
                                .header("X-OPENTOK-AUTH", auth)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"rest\",\"data\":\"r" + i + "\"}"))
                                .build();
                        statuses.add(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode());
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.sendAll(burst());
            rest.join();
            assertThat(statuses).hasSize(50).containsOnly(204);

            int fromSender = 0;
            int fromRest = 0;
            while (fromSender < BURST || fromRest < 50) {
                ServerMessage.Signal signal = receiver.skipTo(ServerMessage.Signal.class);
                if (signal.type().equals("rest")) {
                    assertThat(signal.data()).isEqualTo("r" + ++fromRest);
                } else {
                    assertThat(signal.data()).isEqualTo("n" + ++fromSender);
                }
            }
        }
    }
}
