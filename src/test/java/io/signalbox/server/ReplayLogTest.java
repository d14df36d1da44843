package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReplayLogTest {

    @Test
    @DisplayName("frames come back as they went in, across chunk ends, with unicode and frames larger than a chunk")
    void keepsFrames() {
        ReplayLog log = new ReplayLog();
        String small = "{\"kind\":\"signal\",\"data\":\"h\u00e9llo \uD83D\uDE00\"}";
        String large = "x".repeat(ReplayLog.CHUNK_BYTES * 2 + 17);
        log.add(small);
        log.add(large);
        log.add("third");
        assertThat(log.size()).isEqualTo(3);
        assertThat(log.chars()).isEqualTo(small.length() + large.length() + 5);
        assertThat(log.frames(0)).containsExactly(small, large, "third");
        assertThat(log.frames(1)).containsExactly(large, "third");
        assertThat(log.frames(3)).isEmpty();

        log.dropFirst();
        log.dropFirst();
        assertThat(log.frames(0)).containsExactly("third");
        assertThat(log.chars()).isEqualTo(5);
        log.dropFirst();
        assertThat(log.isEmpty()).isTrue();
        assertThat(log.chars()).isZero();
        assertThat(log.frames(0)).isEmpty();
    }

    @Test
    @DisplayName("a frame handed to several logs in turn (a broadcast) is kept by reference, in its place among the others")
    void sharesBroadcastFrames() {
        ReplayLog first = new ReplayLog();
        ReplayLog second = new ReplayLog();
        String direct = new String("to the second only");
        String broadcast = new String("to everyone");
        second.add(direct);
        first.add(broadcast);
        second.add(broadcast);
        second.add(new String("after"));
        List<String> frames = second.frames(0);
        assertThat(frames).containsExactly("to the second only", "to everyone", "after");
        assertThat(frames.get(1)).isSameAs(broadcast);
        assertThat(first.frames(0)).containsExactly("to everyone");
        second.dropFirst();
        second.dropFirst();
        assertThat(second.frames(0)).containsExactly("after");
        assertThat(second.chars()).isEqualTo(5);
    }

    @Test
    @DisplayName("added and dropped at random, the log always matches a plain queue of the same frames")
    void matchesAQueue() {
        Random random = new Random(7);
        ReplayLog log = new ReplayLog();
        ArrayDeque<String> expected = new ArrayDeque<>();
        long chars = 0;
        String lastShared = null;
        for (int step = 0; step < 20_000; step++) {
            int choice = random.nextInt(10);
            if (choice < 6 || expected.isEmpty()) {
                String frame;
                if (choice == 0 && lastShared != null) {
                    frame = lastShared;
                } else {
                    StringBuilder text = new StringBuilder();
                    int length = random.nextInt(random.nextInt(50) == 0 ? 20_000 : 300);
                    for (int i = 0; i < length; i++) text.append((char) (random.nextInt(4) == 0 ? 0xe9 : 'a' + i % 26));
                    frame = text.toString();
                    lastShared = frame;
                }
                log.add(frame);
                expected.addLast(frame);
                chars += frame.length();
            } else if (choice < 9) {
                log.dropFirst();
                chars -= expected.removeFirst().length();
            } else {
                int skip = random.nextInt(expected.size() + 1);
                assertThat(log.frames(skip)).containsExactlyElementsOf(expected.stream().skip(skip).toList());
            }
            assertThat(log.size()).isEqualTo(expected.size());
            assertThat(log.chars()).isEqualTo(chars);
        }
        log.clear();
        assertThat(log.isEmpty()).isTrue();
        assertThat(log.frames(0)).isEmpty();
    }
}
