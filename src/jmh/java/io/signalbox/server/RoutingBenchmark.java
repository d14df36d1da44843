package io.signalbox.server;

import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.Role;
import io.signalbox.server.auth.TokenGrant;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Routing in the session registry, without sockets: N connections whose outlets only count frames.
 * To one: find the receiver, encode, keep for replay, hand over. To all: encode once, then each
 * member's replay buffer and outlet. Run with {@code ./mvnw -Pjmh verify}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RoutingBenchmark {
    /** Connections in the session. */
    @Param({"100", "1000"})
    int members;

    private ScheduledExecutorService timers;
    private SessionRegistry registry;
    private Peer sender;
    private String receiverId;
    private final String sessionId = "1_MX4xMjM0NTZ-fjE3NjQyODAwMDAwMDB-YmVuY2htYXJrfn4";
    private final String data = "x".repeat(100);

    /** An outlet that takes every frame and only counts it; shared by all members, as a sink. */
    private static final class CountingOutlet implements Outlet {
        /** Frames taken; written by the benchmark thread only. */
        long frames;

        @Override
        public boolean send(String frame) {
            frames++;
            return true;
        }

        @Override
        public void close(int code, String reason) {}

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public String remote() {
            return "benchmark";
        }
    }

    private final CountingOutlet outlet = new CountingOutlet();

    @Setup(Level.Trial)
    public void setUp() {
        timers = Executors.newSingleThreadScheduledExecutor();
        ApiCredentials credentials = ApiCredentials.generate(new SecureRandom());
        registry = new SessionRegistry(ServerConfig.defaults(credentials), new SecureRandom(), timers);
        TokenGrant grant = new TokenGrant(sessionId, Role.PUBLISHER, "", Instant.now(), Instant.now().plusSeconds(3600));
        Peer last = null;
        for (int i = 0; i < members; i++) {
            Peer peer = registry.join(grant, outlet);
            if (sender == null) sender = peer;
            last = peer;
        }
        receiverId = last.id;
    }

    /** The sender's number for its next signal, as a client numbers them. */
    private long seq;

    @TearDown(Level.Trial)
    public void tearDown() {
        timers.shutdownNow();
    }

    @Benchmark
    public boolean routeToOne() {
        return registry.route(sessionId, sender, ++seq, receiverId, "chat", data);
    }

    /** One broadcast to every member; divide by {@code members} for the cost of one delivery. */
    @Benchmark
    public boolean routeToAll(Blackhole hole) {
        hole.consume(outlet.frames);
        return registry.route(sessionId, sender, ++seq, null, "chat", data);
    }
}
