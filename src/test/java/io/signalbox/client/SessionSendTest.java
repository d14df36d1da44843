package io.signalbox.client;

import static io.signalbox.client.SessionFixture.WAIT;
import static io.signalbox.client.SessionFixture.failedAtOnce;
import static io.signalbox.client.SessionFixture.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.Limits;
import io.signalbox.protocol.ServerMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SessionSendTest {
    private static final String EURO = "€";          // 3 bytes of UTF-8
    private static final String EMOJI = "\uD83D\uDE00"; // 😀, 4 bytes of UTF-8, 2 chars

    private final SessionFixture fx = new SessionFixture();
    private final Session session = fx.session;

    static Stream<Arguments> invalidSignals() {
        return Stream.of(
                Arguments.of("129-character type", "a".repeat(129), "x", ErrorCode.SIGNAL_TYPE_TOO_LONG),
                Arguments.of("type with a space", "a b", "x", ErrorCode.INVALID_SIGNAL_TYPE),
                Arguments.of("type with é", "café", "x", ErrorCode.INVALID_SIGNAL_TYPE),
                Arguments.of("type with a dot", "chat.message", "x", ErrorCode.INVALID_SIGNAL_TYPE),
                Arguments.of("129-character type with a space: too long wins", " ".repeat(129), "x",
                        ErrorCode.SIGNAL_TYPE_TOO_LONG),
                Arguments.of("null type", null, "x", ErrorCode.INVALID_SIGNAL_TYPE),
                Arguments.of("null data", "chat", null, ErrorCode.INVALID_SIGNAL_DATA),
                Arguments.of("8193 bytes of ASCII", "chat", "a".repeat(8193), ErrorCode.SIGNAL_DATA_TOO_LONG),
                Arguments.of("2731 x € = 8193 bytes", "chat", EURO.repeat(2731), ErrorCode.SIGNAL_DATA_TOO_LONG),
                Arguments.of("2049 x 😀 = 8196 bytes", "chat", EMOJI.repeat(2049), ErrorCode.SIGNAL_DATA_TOO_LONG),
                Arguments.of("too long type and too long data: type first", "a".repeat(129), "a".repeat(9000),
                        ErrorCode.SIGNAL_TYPE_TOO_LONG),
                Arguments.of("invalid type and too long data: type first", "a b", "a".repeat(9000),
                        ErrorCode.INVALID_SIGNAL_TYPE));
    }

    @ParameterizedTest(name = "{0} -> {3}")
    @MethodSource("invalidSignals")
    @DisplayName("an invalid signal fails at once with its own code, and nothing is sent (not even a seq is used)")
    void invalidSignal(String why, String type, String data, ErrorCode expected) {
        FakeTransport transport = fx.join("alice");
        Connection alice = session.getConnections().get(1);

        SignalingException toAll = failedAtOnce(session.sendSignal(type, data), expected);
        failedAtOnce(session.sendSignalToConnection(type, data, alice), expected);

        assertThat(toAll.getMessage()).isNotBlank();
        session.sendSignal("ok", "ok");
        assertThat(transport.takeSent(ClientMessage.SendSignal.class).seq()).as("the first signal sent").isEqualTo(1L);
    }

    @Test
    @DisplayName("the messages of invalid signals say what is wrong")
    void invalidSignalMessages() {
        fx.join();
        assertThat(failedAtOnce(session.sendSignal("a".repeat(129), ""), ErrorCode.SIGNAL_TYPE_TOO_LONG))
                .hasMessageContaining("129").hasMessageContaining("128");
        assertThat(failedAtOnce(session.sendSignal("café", ""), ErrorCode.INVALID_SIGNAL_TYPE))
                .hasMessageContaining("'é' (U+00E9) at index 3");
        assertThat(failedAtOnce(session.sendSignal("chat", EURO.repeat(2731)), ErrorCode.SIGNAL_DATA_TOO_LONG))
                .hasMessageContaining("8193 bytes").hasMessageContaining("8192");
    }

    @Test
    @DisplayName("an invalid signal fails with its validation code even when not connected")
    void invalidBeforeConnect() {
        failedAtOnce(session.sendSignal("a b", "x"), ErrorCode.INVALID_SIGNAL_TYPE);
    }

    static Stream<Arguments> validEdgeSignals() {
        return Stream.of(
                Arguments.of("127-character type", "a".repeat(127), "x"),
                Arguments.of("128-character type", "a".repeat(128), "x"),
                Arguments.of("every allowed type character", "AZaz09-_~", "x"),
                Arguments.of("empty type and data", "", ""),
                Arguments.of("exactly 8192 bytes of ASCII", "chat", "a".repeat(8192)),
                Arguments.of("2730 x € = 8190 bytes", "chat", EURO.repeat(2730)),
                Arguments.of("2048 x 😀 = 8192 bytes", "chat", EMOJI.repeat(2048)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validEdgeSignals")
    @DisplayName("a signal at the limits is sent as it is and completes on the server's ack")
    void validEdgeSignal(String why, String type, String data) {
        FakeTransport transport = fx.join();

        CompletableFuture<Void> sent = session.sendSignal(type, data);

        assertThat(transport.takeSent(ClientMessage.SendSignal.class))
                .isEqualTo(new ClientMessage.SendSignal(1L, type, data, null));
        assertThat(sent).isNotDone();
        transport.receives(new ServerMessage.Ack(1L));
        assertThat(sent).succeedsWithin(WAIT);
    }

    @Test
    @DisplayName("before connect, while connecting, and after disconnect, a send fails at once with NOT_CONNECTED")
    void notConnected() {
        failedAtOnce(session.sendSignal("chat", "too early"), ErrorCode.NOT_CONNECTED);
        assertThat(fx.transports.noneMade()).isTrue();

        session.connect("token");
        FakeTransport transport = fx.transports.next().opens();
        transport.takeSent(ClientMessage.Connect.class);
        assertThat(failedAtOnce(session.sendSignal("chat", "still early"), ErrorCode.NOT_CONNECTED))
                .hasMessageContaining("connecting");

        transport.receives(SessionFixture.connected(0, "alice"));
        fx.listener.assertConnected();
        Connection alice = fx.listener.assertConnectionCreated("alice");
        assertThat(session.disconnect()).succeedsWithin(WAIT);

        failedAtOnce(session.sendSignal("chat", "too late"), ErrorCode.NOT_CONNECTED);
        failedAtOnce(session.sendSignalToConnection("chat", "too late", alice), ErrorCode.NOT_CONNECTED);
        failedAtOnce(session.sendSignal("chat", "too late", SignalOptions.builder().retryAfterReconnect(false).build()),
                ErrorCode.NOT_CONNECTED);
    }

    @Test
    @DisplayName("signals get seq 1, 2, 3 ... and a signal to one connection names it")
    void seqNumbers() {
        FakeTransport transport = fx.join("alice");
        Connection alice = fx.session.getConnections().get(1);

        session.sendSignal("chat", "one");
        session.sendSignalToConnection("chat", "two", alice);
        session.sendSignal("chat", "three", SignalOptions.builder().retryAfterReconnect(false).build());
        session.sendSignalToConnection("chat", "four", new Connection("alice", Instant.EPOCH, ""),
                SignalOptions.defaults());

        assertThat(transport.takeSent(ClientMessage.SendSignal.class)).isEqualTo(new ClientMessage.SendSignal(1L, "chat", "one", null));
        assertThat(transport.takeSent(ClientMessage.SendSignal.class)).isEqualTo(new ClientMessage.SendSignal(2L, "chat", "two", "alice"));
        assertThat(transport.takeSent(ClientMessage.SendSignal.class)).isEqualTo(new ClientMessage.SendSignal(3L, "chat", "three", null));
        assertThat(transport.takeSent(ClientMessage.SendSignal.class)).isEqualTo(new ClientMessage.SendSignal(4L, "chat", "four", "alice"));
    }

    @Test
    @DisplayName("acks complete the future of their own seq, in whatever order they come")
    void acksByseq() {
        FakeTransport transport = fx.join();
        CompletableFuture<Void> one = session.sendSignal("chat", "one");
        CompletableFuture<Void> two = session.sendSignal("chat", "two");

        transport.receives(new ServerMessage.Ack(2L));
        assertThat(two).succeedsWithin(WAIT);
        assertThat(one).isNotDone();
        transport.receives(new ServerMessage.Ack(1L));
        assertThat(one).succeedsWithin(WAIT);
        transport.receives(new ServerMessage.Ack(1L)); // a repeat is harmless
        transport.receives(new ServerMessage.Ack(99L)); // so is an unknown one
        fx.listener.assertExhausted(java.time.Duration.ofMillis(100));
    }

    static Stream<Arguments> nacks() {
        return Stream.of(
                Arguments.of(1404, ErrorCode.CONNECTION_NOT_FOUND),
                Arguments.of(1403, ErrorCode.NOT_PERMITTED),
                Arguments.of(1413, ErrorCode.SIGNAL_DATA_TOO_LONG),
                Arguments.of(1414, ErrorCode.SIGNAL_TYPE_TOO_LONG),
                Arguments.of(1461, ErrorCode.INVALID_SIGNAL_TYPE),
                Arguments.of(1460, ErrorCode.INVALID_SIGNAL_DATA),
                Arguments.of(1400, ErrorCode.MALFORMED_MESSAGE),
                Arguments.of(1010, ErrorCode.NOT_CONNECTED),
                Arguments.of(1500, ErrorCode.INTERNAL_ERROR));
    }

    @ParameterizedTest(name = "nack {0} -> {1}")
    @MethodSource("nacks")
    @DisplayName("a nack fails the future of its seq with the matching code and the server's words")
    void nack(int wireCode, ErrorCode expected) {
        FakeTransport transport = fx.join();
        CompletableFuture<Void> sent = session.sendSignalToConnection("chat", "hi", new Connection("gone", Instant.EPOCH, ""));

        transport.receives(new ServerMessage.Nack(1L, wireCode, "the server's words"));

        assertThat(failure(sent, expected)).hasMessage("the server's words");
    }

    @Test
    @DisplayName("a nack with a code this SDK does not know fails with INTERNAL_ERROR naming the code")
    void unknownNack() {
        FakeTransport transport = fx.join();
        CompletableFuture<Void> sent = session.sendSignal("chat", "hi");

        transport.receives(new ServerMessage.Nack(1L, 1999, "something new"));

        assertThat(failure(sent, ErrorCode.INTERNAL_ERROR).getMessage()).contains("1999").contains("something new");
    }

    @Test
    @DisplayName("a signal to a null connection fails at once with CONNECTION_NOT_FOUND, saying so")
    void nullConnection() {
        FakeTransport transport = fx.join();

        assertThat(failedAtOnce(session.sendSignalToConnection("chat", "hi", null), ErrorCode.CONNECTION_NOT_FOUND))
                .hasMessageContaining("null");

        session.sendSignal("chat", "next");
        assertThat(transport.takeSent(ClientMessage.SendSignal.class).seq()).isEqualTo(1L);
    }

    @Test
    @DisplayName("null options fail the future with NullPointerException instead of throwing")
    void nullOptions() {
        fx.join();

        CompletableFuture<Void> sent = session.sendSignal("chat", "hi", null);

        assertThat(sent).isCompletedExceptionally();
        try {
            sent.get();
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(NullPointerException.class);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    @DisplayName("signals sent from many threads at once reach the wire with increasing seqs and in each thread's order")
    void concurrentSendsKeepOrder() throws Exception {
        FakeTransport transport = fx.join();
        int threads = 8;
        int perThread = 250;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            senders.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) session.sendSignal("t" + id, Integer.toString(i));
            }));
        }
        start.countDown();
        for (Thread sender : senders) sender.join();

        Map<String, Integer> lastByThread = new HashMap<>();
        long lastSeq = 0;
        for (int n = 0; n < threads * perThread; n++) {
            ClientMessage.SendSignal signal = transport.takeSent(ClientMessage.SendSignal.class);
            assertThat(signal.seq()).isEqualTo(lastSeq + 1);
            lastSeq = signal.seq();
            int index = Integer.parseInt(signal.data());
            assertThat(index).as("signal of %s", signal.type()).isEqualTo(lastByThread.getOrDefault(signal.type(), -1) + 1);
            lastByThread.put(signal.type(), index);
        }
        assertThat(lastByThread).hasSize(threads).allSatisfy((thread, last) -> assertThat(last).isEqualTo(perThread - 1));
    }

    @Test
    @DisplayName("the limits the SDK checks are the contract's: 128 characters, 8192 bytes")
    void limits() {
        assertThat(Limits.MAX_TYPE_LENGTH).isEqualTo(128);
        assertThat(Limits.MAX_DATA_BYTES).isEqualTo(8192);
        assertThat(Limits.utf8Length(EURO.repeat(2731))).isEqualTo(8193);
        assertThat(Limits.utf8Length(EMOJI.repeat(2048))).isEqualTo(8192);
    }
}
