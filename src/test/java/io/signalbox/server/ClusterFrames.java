package io.signalbox.server;

import io.signalbox.protocol.Codec;
import io.signalbox.protocol.ServerMessage;
import java.time.Duration;

/** Assertions on what a raw client of a cluster test receives. */
final class ClusterFrames {
    private ClusterFrames() {}

    /** Fails if a signal reaches the client within the time; other frames are let pass. */
    static void assertNoSignal(RawClient client, Duration within) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) return;
            String frame = client.pollRaw(Duration.ofNanos(left));
            if (frame == null) return;
            if (Codec.decodeServer(frame) instanceof ServerMessage.Signal signal) {
                throw new AssertionError("expected no signal, but got " + signal);
            }
        }
    }

    /** Fails if a frame of this kind reaches the client within the time. */
    static void assertNone(RawClient client, Class<? extends ServerMessage> kind, Duration within) throws Exception {
        long end = System.nanoTime() + within.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) return;
            String frame = client.pollRaw(Duration.ofNanos(left));
            if (frame == null) return;
            ServerMessage message = Codec.decodeServer(frame);
            if (kind.isInstance(message)) throw new AssertionError("expected no " + kind.getSimpleName() + ", but got " + message);
        }
    }
}
