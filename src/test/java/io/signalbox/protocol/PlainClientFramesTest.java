package io.signalbox.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PlainClientFramesTest {

    @Test
    @DisplayName("signals and pings as the SDK writes them are read by hand, to the same messages as Jackson's")
    void readsWhatTheSdkWrites() throws Exception {
        List<ClientMessage> messages = List.of(
                new ClientMessage.SendSignal(1L, "chat", "hello", null),
                new ClientMessage.SendSignal(987_654_321L, "a-b_c~", "h\u00e9llo \uD83D\uDE00 {\"nested\":1}", "c-42"),
                new ClientMessage.SendSignal(0L, "t", "", "x"),
                new ClientMessage.Ping(7L),
                new ClientMessage.Ping());
        for (ClientMessage message : messages) {
            String frame = Codec.encode(message);
            ClientMessage plain = PlainClientFrames.read(frame);
            if (message instanceof ClientMessage.SendSignal s && s.data().contains("\"")) {
                assertThat(plain).as(frame).isNull(); // escaped quotes: Jackson's
            } else {
                assertThat(plain).as(frame).isEqualTo(message);
            }
            assertThat(Codec.decodeClient(frame)).isEqualTo(message);
        }
    }

    @Test
    @DisplayName("what is not written plainly is left to Jackson: whitespace, escapes, other kinds and fields, bad numbers")
    void leavesTheRestToJackson() {
        for (String frame : List.of(
                "{ \"kind\":\"ping\"}", "{\"kind\":\"ping\",\"received\":01}", "{\"kind\":\"ping\",\"received\":-1}",
                "{\"kind\":\"ping\",\"received\":1.0}", "{\"kind\":\"ping\",\"received\":null}",
                "{\"kind\":\"ping\",\"received\":1234567890123456789}", "{\"kind\":\"ping\",\"extra\":1}",
                "{\"kind\":\"pi\\ng\"}", "{\"kind\":\"leave\"}", "{}", "{\"kind\":\"signal\",\"seq\":1,\"type\":\"t\"}",
                "{\"kind\":\"signal\",\"seq\":1,\"type\":\"t\",\"data\":\"a\\nb\"}",
                "{\"kind\":\"signal\",\"seq\":1,\"type\":\"t\",\"data\":\"d\",\"data\":\"e\"}",
                "{\"kind\":\"signal\",\"seq\":1,\"type\":\"t\",\"data\":\"d\"}x", "[\"kind\"]",
                "{\"kind\":\"signal\",\"seq\":\"1\",\"type\":\"t\",\"data\":\"d\"}")) {
            assertThat(PlainClientFrames.read(frame)).as(frame).isNull();
        }
    }

    @Test
    @DisplayName("frames cut, spliced and mutated at random: the hand reader answers as Jackson does, or not at all")
    void agreesWithJacksonOnMutations() {
        Random random = new Random(11);
        List<String> seeds = new ArrayList<>();
        seeds.add(Codec.encode(new ClientMessage.SendSignal(12L, "chat", "some data here", "conn-1")));
        seeds.add(Codec.encode(new ClientMessage.SendSignal(3L, "x", "\u00e9\u00e8", null)));
        seeds.add(Codec.encode(new ClientMessage.Ping(99L)));
        String alphabet = "{}[]\":,\\ 0129-.eatnulkindseqtypedatatoreceivedsignalping\u00e9\n";
        int readByHand = 0;
        for (int round = 0; round < 50_000; round++) {
            StringBuilder frame = new StringBuilder(seeds.get(random.nextInt(seeds.size())));
            int edits = 1 + random.nextInt(3);
            for (int e = 0; e < edits && !frame.isEmpty(); e++) {
                int at = random.nextInt(frame.length());
                switch (random.nextInt(3)) {
                    case 0 -> frame.deleteCharAt(at);
                    case 1 -> frame.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> frame.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            String text = frame.toString();
            ClientMessage plain = PlainClientFrames.read(text);
            if (plain == null) continue;
            readByHand++;
            ClientMessage jackson;
            try {
                jackson = Codec.decodeClientWithJackson(text);
            } catch (ProtocolException ex) {
                throw new AssertionError("read by hand as " + plain + " but Jackson refuses " + text + ": " + ex.getMessage());
            }
            assertThat(plain).as(text).isEqualTo(jackson);
        }
        assertThat(readByHand).as("mutations still read by hand").isGreaterThan(1_000);
    }
}
