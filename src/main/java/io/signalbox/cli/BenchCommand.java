package io.signalbox.cli;

import io.signalbox.bench.Bench;
import io.signalbox.bench.Report;
import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.Durations;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code signalbox bench}: one load-generating workload against a server, and a table of what it cost. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {
                "Runs one workload against a Signalbox server and prints its figures:",
                "throughput, latency, and the server's CPU time and resident memory (from",
                "/proc), beside the generator's CPU and 'other %%', the CPU the rest of the",
                "machine took (noise on a shared machine).",
                "",
                "By default it starts a server of its own as a separate process (same java",
                "and class path, a free loopback port, fresh credentials); --url targets a",
                "running one instead.",
                "",
                "fanout --nodes K (K > 1) starts K server nodes that share the session",
                "through Redis: a redis-server of its own on a free loopback port (or the one",
                "--redis names), the sender on node 1 and the receivers spread over the nodes",
                "in turn, so that (K-1)/K of the deliveries cross Redis. The report gives each",
                "node's CPU and memory, their sums, and the Redis server's CPU. --server-cpus",
                "pins every node, and the Redis too unless --redis-cpus says otherwise: on a",
                "2-core machine, --server-cpus 0 under 'taskset -c 1' keeps all the server",
                "side on one core, as a single node has it.",
                "",
                "Workloads:",
                "  fanout  N receivers in one session, one sender broadcasting S-byte",
                "          signals with a window",
                "  direct  N clients each sending to a random other, at a fixed total rate",
                "  idle    many idle connections: connect rate, server memory per connection",
                "  storm   SDK sessions behind a fault proxy all lose their link with",
                "          signals queued",
                "",
                "Exit codes: 0 when the run is clean (nothing lost, doubled or misrouted),",
                "1 otherwise, 2 for bad options."
        })
final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "WORKLOAD", description = "fanout, direct, idle or storm.")
    Bench.Workload workload;

    @Option(names = "--url", paramLabel = "URL",
            description = "A running server's base URL (http://HOST:PORT); needs --api-key and --api-secret.")
    URI url;

    @Option(names = "--server-pid", paramLabel = "PID",
            description = "With --url: the server's process id, for its CPU and memory figures.")
    long serverPid = -1;

    @Option(names = "--server-cpus", paramLabel = "LIST",
            description = "Pins the server started here (every node, with --nodes) to these CPUs (taskset -c LIST), e.g. 0.")
    String serverCpus;

    @Option(names = "--nodes", defaultValue = "1", paramLabel = "K",
            description = "fanout: server nodes sharing the session through Redis (default: ${DEFAULT-VALUE}; at most "
                    + Bench.MAX_NODES + ").")
    int nodes;

    @Option(names = "--redis", paramLabel = "URI",
            description = "fanout: the Redis the nodes share (redis://HOST:PORT) instead of one started here; with --nodes 1, a cluster of one node.")
    URI redis;

    @Option(names = "--redis-pid", paramLabel = "PID",
            description = "With --redis: the Redis server's process id, for its CPU and memory figures.")
    long redisPid = -1;

    @Option(names = "--redis-cpus", paramLabel = "LIST",
            description = "Pins the redis-server started here to these CPUs (default: --server-cpus).")
    String redisCpus;

    @Option(names = "--server-jvm", paramLabel = "OPTIONS",
            description = "JVM options for the server started here, space-separated, e.g. \"-Xmx2g -XX:StartFlightRecording=filename=s.jfr\".")
    String serverJvm;

    @Option(names = "--server-log", paramLabel = "FILE", description = "Where the started server's log goes (default: dropped).")
    Path serverLog;

    @Option(names = "--clients", paramLabel = "N",
            description = "Clients (default: fanout 100 receivers, direct 1000, idle 1000, storm 1000).")
    Integer clients;

    @Option(names = "--size", defaultValue = "100", paramLabel = "BYTES", description = "fanout, direct: signal data bytes (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--window", paramLabel = "W", description = "fanout: signals in flight (default: ceil(4000 / N)).")
    Integer window;

    @Option(names = "--messages", paramLabel = "M",
            description = "fanout: signals measured (default: 1.2 M deliveries / N, 0.3 M over 1 KB).")
    Long messages;

    @Option(names = "--warmup", paramLabel = "K", description = "fanout: warm-up signals (default: 200 k deliveries / N, 100 k over 1 KB).")
    Long warmup;

    @Option(names = "--rate", defaultValue = "5000", paramLabel = "R", description = "direct: signals per second in total (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--duration", defaultValue = "10s", paramLabel = "DURATION", description = "direct: measured time (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(names = "--warmup-time", defaultValue = "2s", paramLabel = "DURATION", description = "direct: warm-up time (default: ${DEFAULT-VALUE}).")
    String warmupTime;

    @Option(names = "--per-session", defaultValue = "10", paramLabel = "K", description = "idle, storm: clients per session (default: ${DEFAULT-VALUE}).")
    int perSession;

    @Option(names = "--hold", defaultValue = "10s", paramLabel = "DURATION", description = "idle: how long connections are held (default: ${DEFAULT-VALUE}).")
    String hold;

    @Option(names = "--sources", split = ",", paramLabel = "ADDRESS",
            description = "idle: source addresses to spread connections over (default: 127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5).")
    List<String> sources;

    @Option(names = "--signals", defaultValue = "5", paramLabel = "K", description = "storm: signals each client sends during the outage (default: ${DEFAULT-VALUE}).")
    int signals;

    @Option(names = "--outage", defaultValue = "0s", paramLabel = "DURATION",
            description = {"storm: how long the proxy refuses new links after the drop (default: ${DEFAULT-VALUE}:",
                    "only until every session has noticed the drop and queued its signals)."})
    String outage;

    @Option(names = "--loops", defaultValue = "1", paramLabel = "N",
            description = "Selector threads of the generator's lean client (default: ${DEFAULT-VALUE}; one per CPU it may use).")
    int loops;

    @Option(names = "--json", description = "Prints the figures as one JSON object instead of a table.")
    boolean json;

    @Mixin
    CredentialOptions credentials;

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    /** A duration as the other commands take it, or zero ("0", "0s"), which a warm-up or an outage may be. */
    private static Duration duration(String text) {
        String t = text.trim();
        if (t.equals("0") || t.matches("0+(ms|s|m|h)")) return Duration.ZERO;
        return Durations.parse(t);
    }

    /**
     * The SDK logs each reconnection at INFO: a storm of a thousand would bury the report and spend the
     * generator's CPU. Unless SIGNALBOX_LOG_LEVEL says otherwise, only warnings are logged.
     */
    private static void quietLogs() {
        if (System.getenv("SIGNALBOX_LOG_LEVEL") != null) return;
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    @Override
    public Integer call() throws Exception {
        Bench.Options options;
        Bench.Servers servers;
        try {
            options = new Bench.Options(workload, clients, size, window, messages, warmup, rate,
                    duration(duration), duration(warmupTime), perSession, duration(hold),
                    sources == null ? Bench.DEFAULT_SOURCES : sources, signals, duration(outage), loops);
            List<String> jvm = serverJvm == null || serverJvm.isBlank() ? List.of() : Arrays.asList(serverJvm.trim().split("\\s+"));
            servers = new Bench.Servers(nodes, serverCpus, jvm, serverLog, redis, redisPid, redisCpus);
            Bench.check(workload, servers);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (url != null && servers.clustered()) {
            throw new ParameterException(spec.commandLine(),
                    "--nodes and --redis start nodes here; --url targets one running server");
        }
        quietLogs();
        PrintStream err = System.err;
        Bench bench = new Bench(options, line -> err.println("bench: " + line));
        Report report;
        if (url != null) {
            ApiCredentials creds = credentials.require();
            report = bench.run(url, creds, serverPid);
        } else {
            ApiCredentials creds = credentials.given() ? credentials.require() : ApiCredentials.generate(new SecureRandom());
            report = bench.runWithServers(servers, creds);
        }
        out.print(json ? report.json() + "\n" : report.table());
        return report.clean() ? 0 : 1;
    }
}
