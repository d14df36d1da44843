package io.signalbox.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signalbox.server.auth.ApiCredentials;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fan-out across two server nodes that share the session through a Redis the bench starts itself
 * (Debian's {@code redis-server}, as CI installs it), on small numbers: the counts add up, each node
 * gets its share of the receivers, and every process started is gone afterwards. Nothing here judges
 * speed.
 */
@Timeout(120)
class FanoutNodesSmokeTest {
    private static final ApiCredentials CREDENTIALS = ApiCredentials.generate(new SecureRandom());
    private static final Pattern PID = Pattern.compile("^(?:redis-server|node \\d+) pid (\\d+) ");

    private final List<String> progress = new CopyOnWriteArrayList<>();

    private static Bench.Servers twoNodes(List<String> jvmOptions) {
        return new Bench.Servers(2, null, jvmOptions, null, null, -1, null);
    }

    /** The processes the run said it started: the Redis and each node. */
    private List<Long> startedPids() {
        List<Long> pids = new ArrayList<>();
        for (String line : progress) {
            Matcher m = PID.matcher(line);
            if (m.find()) pids.add(Long.parseLong(m.group(1)));
        }
        return pids;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    @DisplayName("fanout over two nodes: every receiver on either node gets every signal once and in order, and all processes end")
    void fanoutOverTwoNodes() throws Exception {
        Bench.Options options = Bench.Options.of(Bench.Workload.FANOUT).withClients(6).withMessages(200, 20);

        Report report = new Bench(options, progress::add)
                .runWithServers(twoNodes(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1")), CREDENTIALS);

        assertThat(report.getLong("nodes")).isEqualTo(2);
        assertThat(report.getLong("signals_sent")).isEqualTo(200);
        assertThat(report.getLong("deliveries")).isEqualTo(200 * 6);
        assertThat(report.getLong("lost")).isZero();
        assertThat(report.getLong("out_of_order")).isZero();
        assertThat(report.getLong("refused")).isZero();
        // The sender is on node 1; the six receivers alternate, so half of them are on node 2.
        assertThat(report.getLong("node1_receivers")).isEqualTo(3);
        assertThat(report.getLong("node2_receivers")).isEqualTo(3);
        assertThat(report.getLong("node1_deliveries")).isEqualTo(200 * 3);
        assertThat(report.getLong("node2_deliveries")).as("the deliveries that crossed Redis").isEqualTo(200 * 3);
        assertThat((Double) report.get("node1_cpu_pct")).as("each node's CPU was read").isNotNaN();
        assertThat((Double) report.get("node2_cpu_pct")).isNotNaN();
        assertThat((Double) report.get("redis_cpu_pct")).as("the Redis server's CPU was read").isNotNaN();
        assertThat((String) report.get("redis")).startsWith("redis://127.0.0.1:");
        assertThat(report.clean()).isTrue();
        assertThat(report.table()).contains("node 2 CPU %", "Redis CPU %", "server CPU %, all nodes");
        assertThat(report.json()).contains("\"workload\":\"fanout\"", "\"nodes\":2", "\"deliveries\":1200",
                "\"node2_deliveries\":600");

        List<Long> pids = startedPids();
        assertThat(pids).as("a redis-server and two nodes were started").hasSize(3);
        assertThat(pids).noneMatch(FanoutNodesSmokeTest::alive);
    }

    @Test
    @DisplayName("a node that cannot start fails the run, and the Redis started for it is stopped")
    void nodeThatCannotStart() {
        Bench.Options options = Bench.Options.of(Bench.Workload.FANOUT).withClients(2).withMessages(10, 0);
        Bench bench = new Bench(options, progress::add);

        assertThatThrownBy(() -> bench.runWithServers(twoNodes(List.of("-XX:+NoSuchJvmOption")), CREDENTIALS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ended before it was ready");

        List<Long> pids = startedPids();
        assertThat(pids).as("the Redis was started before the node failed").hasSize(1);
        assertThat(pids).noneMatch(FanoutNodesSmokeTest::alive);
    }

    @Test
    @DisplayName("several nodes are refused for the workloads that run against one server, before anything starts")
    void nodesOnlyForFanout() {
        Bench bench = new Bench(Bench.Options.of(Bench.Workload.DIRECT), progress::add);

        assertThatThrownBy(() -> bench.runWithServers(twoNodes(List.of()), CREDENTIALS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("fanout only");
        assertThat(progress).isEmpty();
    }
}
