package io.signalbox.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzz tests of the wire decoder, the first code to touch every frame from the network. In a normal
 * test run each replays its seed corpus ({@code src/test/resources/io/signalbox/protocol/CodecFuzzTestInputs/});
 * with {@code JAZZER_FUZZ=1} one of them fuzzes (docs/reliability.md).
 *
 * <p>The properties, beyond not crashing:
 * <ul>
 *   <li>a frame is refused only with a {@link ProtocolException} of {@link WireError#MALFORMED_MESSAGE}
 *       and a message a person can read: no other exception (a null pointer, a class cast, Jackson's
 *       own, a stack overflow) ever leaves the decoder, since the server answers that exception with
 *       an {@code error} and the SDK takes it as a bad frame;</li>
 *   <li>a decoded message encodes, and decodes back to itself;</li>
 *   <li>a decoded signal meets the limits exactly when {@link Limits#checkSignal} says it does, with
 *       the error the contract names: the decoder leaves the limits to the server on purpose, so that
 *       a too long signal is answered with a {@code nack} of its {@code seq} (1413, 1414, 1461)
 *       rather than a 1400 that the sender could not match to its send.</li>
 * </ul>
 */
class CodecFuzzTest {

    @FuzzTest
    void decodeClient(byte[] input) {
        String frame = new String(input, StandardCharsets.UTF_8);
        ClientMessage message;
        try {
            message = Codec.decodeClient(frame);
        } catch (ProtocolException refused) {
            assertReadableRefusal(refused);
            return;
        }
        assertThat(message).isNotNull();
        assertClientRoundTrip(message);
        if (message instanceof ClientMessage.SendSignal signal) {
            assertLimitsAgree(signal.type(), signal.data());
        }
    }

    @FuzzTest
    void decodeServer(byte[] input) {
        String frame = new String(input, StandardCharsets.UTF_8);
        ServerMessage message;
        try {
            message = Codec.decodeServer(frame);
        } catch (ProtocolException refused) {
            assertReadableRefusal(refused);
            return;
        }
        assertThat(message).isNotNull();
        assertServerRoundTrip(message);
        if (message instanceof ServerMessage.Signal signal) {
            assertLimitsAgree(signal.type(), signal.data());
        }
    }

    /**
     * Messages built from any field values the constructors allow, rather than from frames: every one
     * survives encode and decode unchanged, whatever its strings hold (quotes, control characters,
     * lone surrogates) and however large its numbers.
     */
    @FuzzTest
    void roundTrip(FuzzedDataProvider data) {
        if (data.consumeBoolean()) {
            ClientMessage message = switch (data.consumeInt(0, 4)) {
                case 0 -> new ClientMessage.Connect(data.consumeInt(), text(data), text(data),
                        data.consumeBoolean() ? text(data) : null);
                case 1 -> new ClientMessage.Resume(data.consumeInt(), text(data), text(data), text(data),
                        data.consumeLong(0, Long.MAX_VALUE));
                case 2 -> new ClientMessage.SendSignal(data.consumeLong(0, Long.MAX_VALUE), text(data), text(data),
                        data.consumeBoolean() ? text(data) : null);
                case 3 -> new ClientMessage.Ping(data.consumeBoolean() ? data.consumeLong(0, Long.MAX_VALUE) : null);
                default -> new ClientMessage.Leave();
            };
            assertClientRoundTrip(message);
        } else {
            ServerMessage message = switch (data.consumeInt(0, 8)) {
                case 0 -> new ServerMessage.Connected(data.consumeInt(), connection(data), connections(data), text(data),
                        data.consumeLong(0, Long.MAX_VALUE), data.consumeLong(0, Long.MAX_VALUE), data.consumeLong());
                case 1 -> new ServerMessage.Resumed(data.consumeLong(0, Long.MAX_VALUE), data.consumeInt(),
                        data.consumeInt(), connections(data), departures(data), nacks(data));
                case 2 -> new ServerMessage.Ack(data.consumeLong(0, Long.MAX_VALUE));
                case 3 -> nack(data);
                case 4 -> new ServerMessage.Signal(text(data), text(data), data.consumeBoolean() ? text(data) : null,
                        data.consumeBoolean(), data.consumeLong());
                case 5 -> new ServerMessage.Joined(connection(data));
                case 6 -> new ServerMessage.Left(text(data), data.pickValue(Reason.values()));
                case 7 -> new ServerMessage.Error(data.consumeInt(), data.consumeBoolean() ? text(data) : null);
                default -> new ServerMessage.Pong();
            };
            assertServerRoundTrip(message);
        }
    }

    private static void assertReadableRefusal(ProtocolException refused) {
        assertThat(refused.error()).isEqualTo(WireError.MALFORMED_MESSAGE);
        assertThat(refused.getMessage()).as("the refusal's message").isNotBlank();
    }

    private static void assertClientRoundTrip(ClientMessage message) {
        String encoded = Codec.encode(message);
        try {
            assertThat(Codec.decodeClient(encoded)).as("decoded again from %s", encoded).isEqualTo(message);
        } catch (ProtocolException e) {
            throw new AssertionError("the encoding of " + message + " does not decode: " + encoded, e);
        }
    }

    private static void assertServerRoundTrip(ServerMessage message) {
        String encoded = Codec.encode(message);
        try {
            assertThat(Codec.decodeServer(encoded)).as("decoded again from %s", encoded).isEqualTo(message);
        } catch (ProtocolException e) {
            throw new AssertionError("the encoding of " + message + " does not decode: " + encoded, e);
        }
    }

    private static void assertLimitsAgree(String type, String data) {
        assertThat(Limits.checkSignal(type, data))
                .as("the limits of type %s and %d chars of data", type, data.length())
                .isEqualTo(SignalLimitsOracle.violation(type, data));
    }

    /** Text of any characters, short enough that the fuzzer spends its time on variety, not length. */
    private static String text(FuzzedDataProvider data) {
        return data.consumeString(64);
    }

    private static ConnectionInfo connection(FuzzedDataProvider data) {
        return new ConnectionInfo(text(data), data.consumeLong(), data.consumeBoolean() ? text(data) : null);
    }

    private static List<ConnectionInfo> connections(FuzzedDataProvider data) {
        List<ConnectionInfo> list = new ArrayList<>();
        for (int i = data.consumeInt(0, 3); i > 0; i--) list.add(connection(data));
        return list;
    }

    private static List<ServerMessage.Departure> departures(FuzzedDataProvider data) {
        if (data.consumeBoolean()) return null;
        List<ServerMessage.Departure> list = new ArrayList<>();
        for (int i = data.consumeInt(0, 3); i > 0; i--) {
            list.add(new ServerMessage.Departure(text(data), data.pickValue(Reason.values())));
        }
        return list;
    }

    private static List<ServerMessage.Nack> nacks(FuzzedDataProvider data) {
        if (data.consumeBoolean()) return null;
        List<ServerMessage.Nack> list = new ArrayList<>();
        for (int i = data.consumeInt(0, 3); i > 0; i--) list.add(nack(data));
        return list;
    }

    private static ServerMessage.Nack nack(FuzzedDataProvider data) {
        return new ServerMessage.Nack(data.consumeLong(0, Long.MAX_VALUE), data.consumeInt(),
                data.consumeBoolean() ? text(data) : null);
    }
}
