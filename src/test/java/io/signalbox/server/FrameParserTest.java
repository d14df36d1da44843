package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.protocol.CloseCodes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The parser of the frames clients send, fed by hand-made bytes. */
class FrameParserTest {
    private static final int MAX = 1024;

    private final List<String> events = new ArrayList<>();
    private final FrameParser parser = new FrameParser(MAX, new Recorder(events));

    /** A masked client frame. */
    private static byte[] frame(int first, byte[] payload) {
        return WebSocketProtocolTest.frame(first, payload);
    }

    private static byte[] text(String text) {
        return frame(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] join(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] frame : frames) out.writeBytes(frame);
        return out.toByteArray();
    }

    /** Parses as a socket reader does: returns the buffer with what is left, compacted. */
    private int feed(ByteBuffer buffer) {
        int needed = parser.parse(buffer);
        buffer.compact().flip();
        return needed;
    }

    @Test
    @DisplayName("frames read together are each handed on, whatever their length, and unmasked")
    void severalFramesInOneRead() {
        Random random = new Random(7);
        List<String> sent = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int length : new int[] {0, 1, 7, 8, 9, 125, 126, 127, 1000}) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < length; i++) text.append((char) ('a' + random.nextInt(26)));
            sent.add("text:" + text);
            bytes.writeBytes(text(text.toString()));
        }
        assertThat(parser.parse(ByteBuffer.wrap(bytes.toByteArray()))).isZero();
        assertThat(events).isEqualTo(sent);
    }

    @Test
    @DisplayName("a frame that arrives a byte at a time is handed on once whole, and the parser says how much it needs")
    void byteByByte() {
        byte[] frame = text("hello, €uro");
        ByteBuffer buffer = ByteBuffer.allocate(64).flip();
        List<Integer> needs = new ArrayList<>();
        for (byte b : frame) {
            buffer.compact().put(b).flip();
            needs.add(feed(buffer));
        }
        assertThat(events).containsExactly("text:hello, €uro");
        assertThat(needs.get(0)).isEqualTo(2);
        assertThat(needs.get(1)).isEqualTo(6); // two bytes of header and four of key
        assertThat(needs.get(6)).isEqualTo(frame.length);
        assertThat(needs.getLast()).isZero();
    }

    @Test
    @DisplayName("a message in fragments is handed on whole, with a ping between its fragments handed on at once")
    void fragmentsAndAPingBetween() {
        byte[] bytes = join(frame(0x01, "one ".getBytes(StandardCharsets.UTF_8)),
                frame(0x89, "are you there".getBytes(StandardCharsets.UTF_8)),
                frame(0x00, "two ".getBytes(StandardCharsets.UTF_8)),
                frame(0x80, "three".getBytes(StandardCharsets.UTF_8)));
        parser.parse(ByteBuffer.wrap(bytes));
        assertThat(events).containsExactly("ping:are you there", "text:one two three");
    }

    @Test
    @DisplayName("a character split between two fragments is decoded whole")
    void characterSplitBetweenFragments() {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
        parser.parse(ByteBuffer.wrap(join(frame(0x01, new byte[] {euro[0]}), frame(0x80, new byte[] {euro[1], euro[2]}))));
        assertThat(events).containsExactly("text:€");
    }

    @Test
    @DisplayName("an unmasked frame breaks the protocol: 1002, and nothing after it is read")
    void unmasked() {
        byte[] unmasked = {(byte) 0x81, 0x02, 'h', 'i'};
        parser.parse(ByteBuffer.wrap(join(unmasked, text("after"))));
        assertThat(events).containsExactly("violation:1002");
        assertThat(parser.isStopped()).isTrue();
    }

    @Test
    @DisplayName("reserved bits, unknown opcodes, long or fragmented control frames and stray continuations break the protocol")
    void protocolErrors() {
        List<byte[]> bad = List.of(
                frame(0xC1, "x".getBytes(StandardCharsets.UTF_8)),    // RSV1: compression was never agreed
                frame(0x83, new byte[0]),                              // opcode 3 is reserved
                frame(0x09, new byte[0]),                              // a ping without FIN
                frame(0x89, new byte[126]),                            // a ping over 125 bytes
                frame(0x80, "x".getBytes(StandardCharsets.UTF_8)),    // a continuation of nothing
                join(frame(0x01, "a".getBytes(StandardCharsets.UTF_8)), text("b")), // a new message inside one
                frame(0x88, new byte[] {0x03}),                        // a close code of one byte
                frame(0x88, new byte[] {0x03, (byte) 0xED}));          // close code 1005 may not be sent
        for (byte[] frame : bad) {
            events.clear();
            FrameParser fresh = new FrameParser(MAX, new Recorder(events));
            fresh.parse(ByteBuffer.wrap(frame));
            assertThat(events).as("frame %s", java.util.HexFormat.of().formatHex(frame)).containsExactly("violation:1002");
        }
    }

    @Test
    @DisplayName("a message over the limit is refused from its header, before its payload is read; so is one grown by fragments")
    void tooLarge() {
        byte[] header = {(byte) 0x81, (byte) (0x80 | 126), (byte) (MAX + 1 >>> 8), (byte) (MAX + 1), 1, 2, 3, 4};
        assertThat(parser.parse(ByteBuffer.wrap(header))).isZero();
        assertThat(events).containsExactly("violation:" + CloseCodes.MESSAGE_TOO_BIG);

        events.clear();
        FrameParser fragmented = new FrameParser(MAX, new Recorder(events));
        fragmented.parse(ByteBuffer.wrap(join(frame(0x01, new byte[MAX - 10]), frame(0x80, new byte[11]))));
        assertThat(events).containsExactly("violation:" + CloseCodes.MESSAGE_TOO_BIG);
    }

    @Test
    @DisplayName("text that is not UTF-8 closes with 1007; text that holds a real replacement character does not")
    void utf8() {
        parser.parse(ByteBuffer.wrap(join(text("ok \uFFFD fine"))));
        assertThat(events).containsExactly("text:ok \uFFFD fine");

        events.clear();
        FrameParser strict = new FrameParser(MAX, new Recorder(events));
        strict.parse(ByteBuffer.wrap(frame(0x81, new byte[] {'a', (byte) 0xC3, 0x28})));
        assertThat(events).containsExactly("violation:1007");
    }

    @Test
    @DisplayName("a close frame gives its code and reason, or 1005 when it has none; nothing after it is read")
    void close() {
        byte[] reason = "bye".getBytes(StandardCharsets.UTF_8);
        byte[] payload = {0x0F, (byte) 0xA0, reason[0], reason[1], reason[2]}; // 4000
        parser.parse(ByteBuffer.wrap(join(frame(0x88, payload), text("after"))));
        assertThat(events).containsExactly("close:4000:bye");

        events.clear();
        FrameParser bare = new FrameParser(MAX, new Recorder(events));
        bare.parse(ByteBuffer.wrap(frame(0x88, new byte[0])));
        assertThat(events).containsExactly("close:1005:");
    }

    @Test
    @DisplayName("a binary message is reported as such")
    void binary() {
        parser.parse(ByteBuffer.wrap(frame(0x82, new byte[] {1, 2, 3})));
        assertThat(events).containsExactly("binary");
    }

    /** Records what a parser hands on, as short strings. */
    private record Recorder(List<String> events) implements FrameParser.Sink {
        @Override
        public void onText(String message) {
            events.add("text:" + message);
        }

        @Override
        public void onBinary() {
            events.add("binary");
        }

        @Override
        public void onPing(byte[] payload) {
            events.add("ping:" + new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public void onCloseFrame(int code, String reason) {
            events.add("close:" + code + ":" + reason);
        }

        @Override
        public void onViolation(int code, String reason) {
            events.add("violation:" + code);
        }
    }
}
