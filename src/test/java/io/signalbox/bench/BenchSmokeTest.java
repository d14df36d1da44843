package io.signalbox.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.server.RateLimits;
import io.signalbox.server.ServerConfig;
import io.signalbox.server.SignalboxServer;
import io.signalbox.server.auth.ApiCredentials;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The load generator on small numbers against real servers on free loopback ports: every workload
 * runs to its end and its counts add up. Nothing here judges speed: the machine running the tests is
 * not a benchmark machine.
 */
@Timeout(120)
class BenchSmokeTest {
    private static final ApiCredentials CREDENTIALS = ApiCredentials.generate(new SecureRandom());
    private static SignalboxServer server;
    private final List<String> progress = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() {
        // As the bench's own server process runs: without rate limits, which the load would hit.
        server = SignalboxServer.start(ServerConfig.defaults(CREDENTIALS).withRateLimits(RateLimits.unlimited()));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Runs against the in-process server; its pid is this process's, so the CPU figures are still read. */
    private Report run(Bench.Options options) throws InterruptedException {
        return new Bench(options, progress::add).run(server.uri(), CREDENTIALS, ProcessHandle.current().pid());
    }

    @Test
    @DisplayName("fanout against a server in its own process: every receiver gets every signal, once and in order")
    void fanoutWithItsOwnServer() throws Exception {
        Bench.Options options = Bench.Options.of(Bench.Workload.FANOUT).withClients(5).withMessages(200, 20);

        Report report = new Bench(options, progress::add).runWithServer(null, List.of("-Xmx256m"), null, CREDENTIALS);

        assertThat(report.getLong("signals_sent")).isEqualTo(200);
        assertThat(report.getLong("deliveries")).isEqualTo(200 * 5);
        assertThat(report.getLong("lost")).isZero();
        assertThat(report.getLong("out_of_order")).isZero();
        assertThat(report.getLong("refused")).isZero();
        assertThat((Double) report.get("server_cpu_pct")).as("the server process's CPU was read").isNotNaN();
        // Its GC log was read back: the pauses of the measured phase, whatever their number.
        assertThat(report.getLong("server_gc_pauses")).isNotNegative();
        assertThat((Double) report.get("server_gc_pause_max_ms"))
                .isLessThanOrEqualTo((Double) report.get("server_gc_pause_total_ms"));
        assertThat(report.clean()).isTrue();
        assertThat(report.table()).contains("deliveries/s", "latency p99 ms", "other CPU %");
        assertThat(report.json()).contains("\"workload\":\"fanout\"", "\"deliveries\":1000");
        assertThat(progress).anyMatch(line -> line.startsWith("server pid "));
    }

    @Test
    @DisplayName("direct: each signal reaches the one it was sent to, none lost, doubled or misrouted")
    void direct() throws Exception {
        Report report = run(Bench.Options.of(Bench.Workload.DIRECT).withClients(10)
                .withRate(200, Duration.ofSeconds(1), Duration.ZERO));

        assertThat(report.getLong("planned")).isEqualTo(200);
        assertThat(report.getLong("sent")).isEqualTo(200);
        assertThat(report.getLong("received")).isEqualTo(report.getLong("sent"));
        assertThat(report.getLong("lost")).isZero();
        assertThat(report.getLong("doubled")).isZero();
        assertThat(report.getLong("misrouted")).isZero();
        assertThat(report.clean()).isTrue();
    }

    @Test
    @DisplayName("idle: every connection is made and still open after the hold")
    void idle() throws Exception {
        Report report = run(Bench.Options.of(Bench.Workload.IDLE).withClients(50).withHold(Duration.ofMillis(300)));

        assertThat(report.getLong("connected")).isEqualTo(50);
        assertThat(report.getLong("failed")).isZero();
        assertThat(report.getLong("open_after_hold")).isEqualTo(50);
        assertThat(report.clean()).isTrue();
    }

    @Test
    @DisplayName("storm: SDK sessions that all lose their link come back and deliver their queues exactly once")
    void storm() throws Exception {
        Report report = run(Bench.Options.of(Bench.Workload.STORM).withClients(20)
                .withStorm(10, 3, Duration.ZERO));

        assertThat(report.getLong("reconnected")).isEqualTo(20);
        assertThat(report.getLong("gave_up")).isZero();
        assertThat(report.getLong("queued")).as("signals sent while away were queued").isEqualTo(20 * 3);
        // 2 groups of 10, each client sends 2 before the drop and 3 during it, to everyone in its group.
        assertThat(report.getLong("expected")).isEqualTo(20L * 10 * 5);
        assertThat(report.getLong("delivered")).isEqualTo(report.getLong("expected"));
        assertThat(report.getLong("lost")).isZero();
        assertThat(report.getLong("doubled")).isZero();
        assertThat(report.getLong("out_of_order")).isZero();
        assertThat(report.clean()).isTrue();
    }
}
