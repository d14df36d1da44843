package io.signalbox.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CodecTest {

    @Test
    @DisplayName("every client message survives a round trip")
    void clientRoundTrip() throws ProtocolException {
        List<ClientMessage> messages = List.of(
                new ClientMessage.Connect(1, "1_abc", "T1==xyz"),
                new ClientMessage.Resume(1, "1_abc", "c-1", "secret", 42L),
                new ClientMessage.SendSignal(7L, "chat", "héllo \"world\"\n€\uD83D\uDE00", null),
                new ClientMessage.SendSignal(8L, "", "", "c-2"),
                new ClientMessage.Ping(),
                new ClientMessage.Leave());
        for (ClientMessage m : messages) {
            assertThat(Codec.decodeClient(Codec.encode(m))).isEqualTo(m);
        }
    }

    @Test
    @DisplayName("every server message survives a round trip")
    void serverRoundTrip() throws ProtocolException {
        ConnectionInfo a = new ConnectionInfo("a", 1000L, "name=Ada");
        List<ServerMessage> messages = List.of(
                new ServerMessage.Connected(1, a, List.of(new ConnectionInfo("b", 2L, "")), "rt", 60_000L, 4000L, 5L),
                new ServerMessage.Resumed(3L, 2, 0, List.of()),
                new ServerMessage.Ack(9L),
                new ServerMessage.Nack(9L, 1413, "too long"),
                new ServerMessage.Signal("chat", "hi", "a", false, 77L),
                new ServerMessage.Signal("chat", "hi", null, true, 77L),
                new ServerMessage.Joined(a),
                new ServerMessage.Left("a", Reason.FORCE_DISCONNECTED),
                new ServerMessage.Error(1400, "bad"),
                new ServerMessage.Pong());
        for (ServerMessage m : messages) {
            assertThat(Codec.decodeServer(Codec.encode(m))).isEqualTo(m);
        }
    }

    @Test
    @DisplayName("signals and acknowledgements, written by hand, are the very JSON Jackson writes, whatever their text")
    void handWrittenFramesMatchJackson() throws Exception {
        java.util.Random random = new java.util.Random(11);
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x80; c++) every.append(c);
        List<String> texts = new java.util.ArrayList<>(List.of("", "plain", every.toString(),
                "€ \u2028 \uD83D\uDE00 \uD800 lone", "\"quoted\" \\ back\\slash /"));
        for (int n = 0; n < 200; n++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) text.append((char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0x10000)));
            texts.add(text.toString());
        }
        com.fasterxml.jackson.databind.ObjectMapper jackson = Codec.mapper();
        for (String text : texts) {
            for (ServerMessage message : List.of(
                    new ServerMessage.Signal("t-1", text, "c-1", false, 1_700_000_000_000L),
                    new ServerMessage.Signal(text, "d", null, true, 0L, -5L),
                    new ServerMessage.Signal("t", text, text, true, Long.MAX_VALUE, Long.MIN_VALUE),
                    new ServerMessage.Ack((long) random.nextInt(Integer.MAX_VALUE)))) {
                assertThat(Codec.encode(message)).isEqualTo(jackson.writeValueAsString(message));
                assertThat(Codec.decodeServer(Codec.encode(message))).isEqualTo(message);
            }
        }
    }

    @Test
    @DisplayName("a signal from the server carries no 'from' field at all")
    void serverSignalHasNoFrom() {
        String json = Codec.encode(new ServerMessage.Signal("t", "d", null, false, 1L));
        assertThat(json).doesNotContain("from").contains("\"kind\":\"signal\"");
    }

    @Test
    @DisplayName("reasons use OpenTok's wire names")
    void reasonWireNames() {
        assertThat(Codec.encode(new ServerMessage.Left("x", Reason.NETWORK_DISCONNECTED)))
                .contains("\"reason\":\"networkDisconnected\"");
    }

    @Test
    @DisplayName("unknown fields are ignored, so a newer peer may add some")
    void unknownFieldsIgnored() throws ProtocolException {
        assertThat(Codec.decodeClient("{\"kind\":\"ping\",\"extra\":1}")).isEqualTo(new ClientMessage.Ping());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{not json at all           | not valid JSON",
            "{\"kind\":\"teleport\"}    | unknown message kind 'teleport'",
            "{\"seq\":1}                | missing field 'kind'",
            "{\"kind\":\"signal\",\"seq\":1,\"data\":\"d\"}            | missing field 'type'",
            "{\"kind\":\"signal\",\"seq\":1,\"type\":\"t\"}            | missing field 'data'",
            "{\"kind\":\"signal\",\"type\":\"t\",\"data\":\"d\"}       | missing field 'seq'",
            "{\"kind\":\"signal\",\"seq\":1,\"type\":\"t\",\"data\":5} | field 'data' has the wrong type",
            "{\"kind\":\"signal\",\"seq\":\"1\",\"type\":\"t\",\"data\":\"d\"} | field 'seq' has the wrong type",
            "{\"kind\":\"signal\",\"seq\":-1,\"type\":\"t\",\"data\":\"d\"} | must not be negative",
            "{\"kind\":\"connect\",\"sessionId\":\"s\",\"token\":\"t\"}   | missing field 'v'",
            "[1,2,3]                    | JSON object",
            "not json at all            | JSON object",
            "{\"kind\":\"ping\"} trailing | not valid JSON",
    })
    @DisplayName("a bad frame is refused with a message that says what is wrong")
    void badFrames(String frame, String expected) {
        assertThatThrownBy(() -> Codec.decodeClient(frame))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining(expected)
                .extracting(e -> ((ProtocolException) e).error())
                .isEqualTo(WireError.MALFORMED_MESSAGE);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"kind\":\"connected\",\"v\":1,\"self\":{\"id\":\"a\",\"createdAt\":1},\"connections\":[null],\"resumeToken\":\"r\",\"reconnectWindowMs\":1,\"heartbeatMs\":1,\"serverTime\":1} | connections",
            "{\"kind\":\"resumed\",\"lastSeq\":0,\"replayed\":0,\"missed\":0,\"connections\":[],\"departed\":[null]} | departed",
            "{\"kind\":\"resumed\",\"lastSeq\":0,\"replayed\":0,\"missed\":0,\"connections\":[],\"nacks\":[null]} | nacks",
    })
    @DisplayName("a null in a list is refused with the list's name, not a message-less null pointer")
    void nullListElement(String frame, String field) {
        assertThatThrownBy(() -> Codec.decodeServer(frame))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("field '" + field + "' holds a null");
    }

    @Test
    @DisplayName("JSON null and an empty string are refused, not turned into a null message")
    void nullFrame() {
        assertThatThrownBy(() -> Codec.decodeClient("null")).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> Codec.decodeClient("")).isInstanceOf(ProtocolException.class);
    }

    @Test
    @DisplayName("wire error numbers are stable and OpenTok's where OpenTok has one")
    void errorNumbers() {
        assertThat(WireError.NOT_CONNECTED.code()).isEqualTo(1010);
        assertThat(WireError.SIGNAL_DATA_TOO_LONG.code()).isEqualTo(1413);
        assertThat(WireError.SIGNAL_TYPE_TOO_LONG.code()).isEqualTo(1414);
        assertThat(WireError.INVALID_SIGNAL_TYPE.code()).isEqualTo(1461);
        assertThat(WireError.fromCode(1461)).isEqualTo(WireError.INVALID_SIGNAL_TYPE);
        assertThat(WireError.fromCode(42)).isNull();
        assertThat(java.util.Arrays.stream(WireError.values()).map(WireError::code).distinct().count())
                .isEqualTo(WireError.values().length);
    }

    @Test
    @DisplayName("only 4000-range close codes are final")
    void finalCloses() {
        assertThat(CloseCodes.isFinal(CloseCodes.FORCE_DISCONNECTED)).isTrue();
        assertThat(CloseCodes.isFinal(CloseCodes.GOING_AWAY)).isFalse();
        assertThat(CloseCodes.isFinal(1006)).isFalse();
    }
}
