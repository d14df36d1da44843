package io.signalbox.protocol;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec on the hot path of a signal: the server decodes what a client sent and encodes what the
 * receivers get (once per broadcast, once per direct signal). Run with {@code ./mvnw -Pjmh verify}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    /** Bytes of signal data. */
    @Param({"100", "8192"})
    int size;

    private String clientFrame;
    private ServerMessage.Signal outgoing;

    @Setup
    public void setUp() {
        String data = "x".repeat(size);
        clientFrame = Codec.encode(new ClientMessage.SendSignal(17L, "chat", data, "0c6d6b1e-5a3f-4f0e-9c1a-2b7d9e4f8a10"));
        outgoing = new ServerMessage.Signal("chat", data, "9f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b", false, 1764280001000L);
    }

    /** What the server does with each signal a client sends. */
    @Benchmark
    public ClientMessage decodeSignal() throws ProtocolException {
        return Codec.decodeClient(clientFrame);
    }

    /** The same with Jackson alone, as every frame was read before the hand reader. */
    @Benchmark
    public ClientMessage decodeSignalWithJackson() throws ProtocolException {
        return Codec.decodeClientWithJackson(clientFrame);
    }

    /** What the server does once per routed signal (once for all receivers of a broadcast). */
    @Benchmark
    public String encodeSignal() {
        return Codec.encode(outgoing);
    }
}
