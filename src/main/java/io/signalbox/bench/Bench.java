package io.signalbox.bench;

import io.signalbox.server.auth.ApiCredentials;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The load generator's entry point: one workload, against a server this starts in a process of its own
 * or one already running, and its {@link Report}.
 */
public final class Bench {
    /** Where idle connections come from unless told: four loopback addresses, four ranges of ports. */
    public static final List<String> DEFAULT_SOURCES = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5");

    /** The workloads. */
    public enum Workload { FANOUT, DIRECT, IDLE, STORM }

    /**
     * What to run; a null count takes the workload's default.
     *
     * @param clients    clients (receivers for fanout)
     * @param size       signal data bytes (fanout, direct)
     * @param window     signals in flight (fanout)
     * @param messages   measured signals (fanout)
     * @param warmup     warm-up signals (fanout)
     * @param rate       signals per second in total (direct)
     * @param duration   measured time (direct)
     * @param warmupTime warm-up time (direct)
     * @param perSession clients per session (idle, storm)
     * @param hold       how long idle connections are held (idle)
     * @param sources    source addresses (idle)
     * @param signals    signals each client queues during the outage (storm)
     * @param outage     how long links are refused after the drop (storm)
     * @param loops      the lean client's selector threads
     */
    public record Options(Workload workload, Integer clients, int size, Integer window, Long messages, Long warmup,
                          int rate, Duration duration, Duration warmupTime, int perSession, Duration hold,
                          List<String> sources, int signals, Duration outage, int loops) {
        public Options {
            Objects.requireNonNull(workload, "workload");
            if (clients != null && clients < 1) throw new IllegalArgumentException("--clients must be at least 1");
            if (size < 0 || size > 8192) throw new IllegalArgumentException("--size must be 0 to 8192 bytes");
            if (rate < 1) throw new IllegalArgumentException("--rate must be at least 1");
            if (perSession < 1) throw new IllegalArgumentException("--per-session must be at least 1");
            if (signals < 0) throw new IllegalArgumentException("--signals must not be negative");
            if (loops < 1 || loops > 16) throw new IllegalArgumentException("--loops must be 1 to 16");
            sources = List.copyOf(sources);
        }

        /** Only the workload given: every other option at its default. */
        public static Options of(Workload workload) {
            return new Options(workload, null, 100, null, null, null, 5000, Duration.ofSeconds(10),
                    Duration.ofSeconds(2), 10, Duration.ofSeconds(10), DEFAULT_SOURCES, 5, Duration.ZERO, 1);
        }

        public Options withClients(int n) {
            return new Options(workload, n, size, window, messages, warmup, rate, duration, warmupTime, perSession,
                    hold, sources, signals, outage, loops);
        }

        public Options withMessages(long m, long w) {
            return new Options(workload, clients, size, window, m, w, rate, duration, warmupTime, perSession,
                    hold, sources, signals, outage, loops);
        }

        public Options withRate(int r, Duration d, Duration w) {
            return new Options(workload, clients, size, window, messages, warmup, r, d, w, perSession,
                    hold, sources, signals, outage, loops);
        }

        public Options withHold(Duration h) {
            return new Options(workload, clients, size, window, messages, warmup, rate, duration, warmupTime,
                    perSession, h, sources, signals, outage, loops);
        }

        public Options withStorm(int perSession, int signals, Duration outage) {
            return new Options(workload, clients, size, window, messages, warmup, rate, duration, warmupTime,
                    perSession, hold, sources, signals, outage, loops);
        }
    }

    /** A bound on {@code --nodes}: each node is a JVM, and the machines this runs on have a few cores. */
    public static final int MAX_NODES = 8;

    /**
     * How to start the servers of a run.
     *
     * @param nodes      server nodes; with more than one they share their sessions through Redis
     * @param cpus       a CPU list for {@code taskset -c} that every node is pinned to, or null
     * @param jvmOptions every node's JVM options
     * @param log        where the nodes' logs go (node K's to FILE.nodeK.EXT when there are several), or null
     * @param redis      the Redis the nodes share, or null: with several nodes one is started here
     * @param redisPid   the given Redis's process id, for its CPU and memory, or -1
     * @param redisCpus  a CPU list for the Redis started here, or null for {@code cpus}
     */
    public record Servers(int nodes, String cpus, List<String> jvmOptions, Path log, URI redis, long redisPid, String redisCpus) {
        public Servers {
            if (nodes < 1 || nodes > MAX_NODES) {
                throw new IllegalArgumentException("--nodes must be 1 to " + MAX_NODES + ", not " + nodes);
            }
            jvmOptions = List.copyOf(jvmOptions);
            if (redisPid > 0 && redis == null) throw new IllegalArgumentException("--redis-pid needs --redis");
            if (redisCpus != null && (nodes == 1 || redis != null)) {
                throw new IllegalArgumentException("--redis-cpus pins the redis-server started for --nodes K > 1"
                        + " without --redis; none is started here");
            }
        }

        /** One server, pinned to {@code cpus} unless null. */
        public static Servers single(String cpus, List<String> jvmOptions, Path log) {
            return new Servers(1, cpus, jvmOptions, log, null, -1, null);
        }

        /** Whether the nodes run with {@code --redis}: several, or one given a Redis. */
        public boolean clustered() {
            return nodes > 1 || redis != null;
        }

        /** Whether this plan starts a Redis of its own. */
        public boolean startsRedis() {
            return nodes > 1 && redis == null;
        }
    }

    private final Options options;
    private final Consumer<String> progress;

    public Bench(Options options, Consumer<String> progress) {
        this.options = Objects.requireNonNull(options, "options");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Runs against a server that is already running; its pid, when known (else -1), gives its CPU and memory. */
    public Report run(URI url, ApiCredentials credentials, long serverPid) throws InterruptedException {
        return runOn(Cluster.of(new Target(url, credentials, serverPid)));
    }

    /**
     * Starts a server in a process of its own, runs against it, and stops it.
     *
     * @param cpus       CPUs to pin the server to ({@code taskset -c}), or null
     * @param jvmOptions the server JVM's options
     * @param log        where the server's log goes, or null
     */
    public Report runWithServer(String cpus, List<String> jvmOptions, Path log, ApiCredentials credentials)
            throws InterruptedException {
        return runWithServers(Servers.single(cpus, jvmOptions, log), credentials);
    }

    /**
     * Starts the servers asked for (one, or several nodes and the Redis they share), runs against them,
     * and stops them, whether the run ends, fails or is interrupted.
     *
     * @throws IllegalArgumentException when they do not fit the workload (several nodes for one that runs
     *         against a single server); nothing has been started then
     */
    public Report runWithServers(Servers servers, ApiCredentials credentials) throws InterruptedException {
        check(options.workload(), servers);
        List<String> args = new ArrayList<>();
        if (options.workload() == Workload.STORM) {
            // The storm keeps every client away for the outage: the window must outlast it with room.
            args.addAll(List.of("--reconnect-window", Math.max(60, options.outage().toSeconds() * 4) + "s"));
        }
        try (LocalCluster started = LocalCluster.start(servers, args, credentials, progress)) {
            return runOn(started.cluster());
        }
    }

    /**
     * Refuses servers the workload cannot use: only fanout spreads its clients over several nodes, and
     * only it reports what their Redis spent.
     */
    public static void check(Workload workload, Servers servers) {
        if (servers.clustered() && workload != Workload.FANOUT) {
            throw new IllegalArgumentException("--nodes and --redis are for fanout only: "
                    + workload.name().toLowerCase(Locale.ROOT) + " runs against one server without Redis");
        }
    }

    private Report runOn(Cluster cluster) throws InterruptedException {
        Target target = cluster.first();
        return switch (options.workload()) {
            case FANOUT -> FanoutBench.run(cluster, fanoutOptions(), progress);
            case DIRECT -> DirectBench.run(target, new DirectBench.Options(clients(1000), options.size(), options.rate(),
                    options.duration().toMillis(), options.warmupTime().toMillis(), options.loops()), progress);
            case IDLE -> IdleBench.run(target, new IdleBench.Options(clients(1000), options.perSession(),
                    options.hold().toMillis(), addresses(options.sources()), options.loops()), progress);
            case STORM -> StormBench.run(target, new StormBench.Options(clients(1000), options.perSession(),
                    options.signals(), options.outage().toMillis()), progress);
        };
    }

    private FanoutBench.Options fanoutOptions() {
        int n = clients(100);
        boolean large = options.size() > 1024;
        int window = options.window() != null ? options.window() : (int) Math.ceil(4000.0 / n);
        long messages = options.messages() != null ? options.messages() : Math.max(1, (large ? 300_000 : 1_200_000) / n);
        long warmup = options.warmup() != null ? options.warmup() : (large ? 100_000 : 200_000) / n;
        return new FanoutBench.Options(n, options.size(), window, messages, warmup, options.loops(), 60_000);
    }

    private int clients(int byDefault) {
        return options.clients() != null ? options.clients() : byDefault;
    }

    private static List<InetAddress> addresses(List<String> names) {
        List<InetAddress> list = new ArrayList<>();
        for (String name : names) {
            try {
                InetAddress address = InetAddress.getByName(name.trim());
                if (!address.isLoopbackAddress()) {
                    throw new IllegalArgumentException("source address " + name + " is not a loopback address");
                }
                list.add(address);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("unknown source address " + name, e);
            }
        }
        return list;
    }
}
