package io.signalbox.cli;

import io.signalbox.chaos.ChaosReport;
import io.signalbox.chaos.ChaosRun;
import io.signalbox.chaos.ClusterChaosReport;
import io.signalbox.chaos.ClusterChaosRun;
import io.signalbox.server.RateLimits;
import io.signalbox.server.ServerConfig;
import io.signalbox.server.auth.ApiCredentials;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code signalbox chaos}: the reconnection contract under random link failures, against one server
 * in this process, or across a cluster of server processes with one of them killed mid-run.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = {
                "Starts a server on a free loopback port with fresh credentials and joins",
                "clients to one session, each through its own fault-injecting TCP proxy.",
                "Every client sends signals without pause, to everyone and to one other,",
                "with retry after reconnect and without, while the proxies break links at",
                "random (TCP reset, TCP close, black hole then reset). Then it checks that",
                "no signal was lost, duplicated or reordered and that every send's outcome",
                "matches what was received, and measures the reconnections.",
                "",
                "With --nodes N (2 or more): starts a Redis (or uses --redis) and N server",
                "processes on it, spreads the clients of each session over the nodes, each",
                "client given every node's URL, adds REST signals through every node, and",
                "kills one node outright (SIGKILL) at --kill-node-at. Its clients must resume",
                "on the other nodes with their connection ids, nobody may hear them leave,",
                "and every signal is checked as above, for --seconds of traffic. The table",
                "then says where each client ended and when each lost, doubled or late",
                "signal was sent, relative to the kill.",
                "",
                "Prints the seed first and a table at the end. Exit codes: 0 when the run",
                "is clean, 1 otherwise. The server and the SDK log each drop on standard",
                "error; set SIGNALBOX_LOG_LEVEL=WARN to quiet them."
        })
final class ChaosCommand implements Callable<Integer> {
    /** The shortest and longest pause between two drops. */
    private static final Duration MIN_DROP_INTERVAL = Duration.ofMillis(10);
    private static final Duration MAX_DROP_INTERVAL = Duration.ofMillis(100);

    @Spec
    private CommandSpec spec;

    @Option(names = "--clients", defaultValue = "5", paramLabel = "N",
            description = "How many clients join, at least 2; with --nodes, in all, at least --nodes in each session"
                    + " (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--drops", defaultValue = "100", paramLabel = "N",
            description = "How many links to break (default: ${DEFAULT-VALUE}).")
    int drops;

    @Option(names = "--seconds", defaultValue = "60", paramLabel = "N",
            description = "The longest the sending and dropping may last (default: ${DEFAULT-VALUE}); settling"
                    + " afterwards takes at most 20 s more. With --nodes: how long the traffic runs, the drops spread"
                    + " over it; settling takes at most 30 s more.")
    int seconds;

    @Option(names = "--seed", paramLabel = "S",
            description = "The seed of every random choice, to repeat a run (default: a new one).")
    Long seed;

    @Option(names = "--nodes", defaultValue = "1", paramLabel = "N",
            description = "1 (default): one server in this process. 2 or more: a cluster of server processes"
                    + " sharing sessions through Redis, one of them killed mid-run.")
    int nodes;

    @Option(names = "--kill-node-at", paramLabel = "SECONDS",
            description = "With --nodes: when to kill a node (chosen by the seed), from the start of the traffic"
                    + " (default: a third of --seconds). Its clients take 5 to 7 s to resume.")
    Double killNodeAt;

    @Option(names = "--sessions", paramLabel = "N",
            description = "With --nodes: sessions the clients are spread over, each on every node (default: 1).")
    Integer sessions;

    @Option(names = "--redis", paramLabel = "URI",
            description = "With --nodes: a Redis to use, redis://HOST:PORT (default: a redis-server of the run's own on loopback).")
    URI redis;

    @Option(names = "--logs", paramLabel = "DIR",
            description = "With --nodes: where the nodes' logs go (node-N.log; default: dropped), and every lost,"
                    + " doubled or reordered delivery, one a line (findings.txt).")
    Path logs;

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    @Override
    public Integer call() {
        if (clients < 2) throw usage("--clients must be at least 2, not " + clients);
        if (drops < 0) throw usage("--drops must not be negative, not " + drops);
        if (seconds < 1) throw usage("--seconds must be at least 1, not " + seconds);
        if (nodes < 1) throw usage("--nodes must be at least 1, not " + nodes);
        if (nodes > 1) return cluster();
        if (killNodeAt != null || sessions != null || redis != null || logs != null) {
            throw usage("--kill-node-at, --sessions, --redis and --logs go with --nodes 2 or more");
        }
        Duration limit = Duration.ofSeconds(seconds);
        ChaosRun.Options options = ChaosRun.Options.defaults()
                .withClients(clients)
                .withDrops(drops)
                .withDropInterval(dropInterval(limit, drops))
                .withTimeLimit(limit);
        if (seed != null) options = options.withSeed(seed);

        // The run measures delivery under faults; rate limits would only refuse what it means to measure.
        ServerConfig server = ServerConfig.defaults(ApiCredentials.generate(new SecureRandom()))
                .withRateLimits(RateLimits.unlimited());
        ChaosReport report;
        try {
            report = new ChaosRun(options, out::println).run(server);
        } catch (IllegalStateException | UncheckedIOException e) {
            out.println("chaos: the run could not start: " + e.getMessage());
            return 1;
        }
        out.print(report.table());
        return report.clean() ? 0 : 1;
    }

    /** The cluster run: server processes on one Redis, one of them killed mid-run. */
    private int cluster() {
        Duration traffic = Duration.ofSeconds(seconds);
        Duration killAt = killNodeAt == null ? traffic.dividedBy(3) : Duration.ofMillis(Math.round(killNodeAt * 1000));
        ClusterChaosRun.Options defaults = ClusterChaosRun.Options.defaults();
        ClusterChaosRun.Options options;
        try {
            // All at once: each wither checks the whole, so that a chain would depend on its order.
            options = new ClusterChaosRun.Options(nodes, sessions == null ? 1 : sessions, clients, traffic, killAt, drops,
                    defaults.sendInterval(), defaults.restInterval(), defaults.reconnectWindow(), defaults.settleTimeout(),
                    redis, logs, seed == null ? defaults.seed() : seed);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
        ClusterChaosReport report;
        try {
            report = new ClusterChaosRun(options, out::println).run();
        } catch (IllegalStateException | UncheckedIOException e) {
            out.println("chaos: the run could not start: " + e.getMessage());
            return 1;
        }
        out.print(report.table());
        if (logs != null) {
            Path findings = logs.resolve("findings.txt");
            try {
                Files.writeString(findings, report.findingsText());
                out.println("chaos: every finding is in " + findings + "; the nodes' logs beside it");
            } catch (IOException e) {
                out.println("chaos: cannot write " + findings + ": " + e.getMessage());
            }
        }
        return report.clean() ? 0 : 1;
    }

    /**
     * Spreads the drops over half the time limit, so that they are all made in time even when some
     * ticks find no link up, within bounds that leave the clients time to reconnect.
     */
    static Duration dropInterval(Duration limit, int drops) {
        if (drops == 0) return MAX_DROP_INTERVAL;
        Duration spread = limit.dividedBy(2).dividedBy(drops);
        if (spread.compareTo(MIN_DROP_INTERVAL) < 0) return MIN_DROP_INTERVAL;
        if (spread.compareTo(MAX_DROP_INTERVAL) > 0) return MAX_DROP_INTERVAL;
        return spread;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
