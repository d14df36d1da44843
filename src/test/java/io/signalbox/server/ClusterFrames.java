package io.signalbox.server;

import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.Codec;
import io.signalbox.protocol.ServerMessage;
import java.time.Duration;
import java.util.List;

/** Assertions on what a raw client of a cluster test receives, and its resuming on another node. */
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

    /** Resumes on a node, trying again while it answers that the old node still looks alive. */
    static RawClient resumeOn(NodeProcess node, ClientMessage.Resume resume, List<ServerMessage> answer)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            RawClient attempt = RawClient.open(node.ws());
            attempt.send(resume);
            String frame = attempt.pollRaw(Duration.ofSeconds(3));
            if (frame != null && Codec.decodeServer(frame) instanceof ServerMessage.Resumed resumed) {
                answer.add(resumed);
                return attempt;
            }
            attempt.close();
            Thread.sleep(300);
        }
        throw new AssertionError("not resumed on " + node + " within 20 s");
    }
}
