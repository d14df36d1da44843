package io.signalbox.bench;

import io.signalbox.server.auth.ApiCredentials;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    private final Options options;
    private final Consumer<String> progress;

    public Bench(Options options, Consumer<String> progress) {
        this.options = Objects.requireNonNull(options, "options");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Runs against a server that is already running; its pid, when known (else -1), gives its CPU and memory. */
    public Report run(URI url, ApiCredentials credentials, long serverPid) throws InterruptedException {
        return runOn(new Target(url, credentials, serverPid));
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
        List<String> args = new ArrayList<>();
        if (options.workload() == Workload.STORM) {
            // The storm keeps every client away for the outage: the window must outlast it with room.
            args.addAll(List.of("--reconnect-window", Math.max(60, options.outage().toSeconds() * 4) + "s"));
        }
        ServerProcess.Launch launch = new ServerProcess.Launch(cpus, jvmOptions, args, log);
        try (ServerProcess server = ServerProcess.start(launch, credentials, 60_000)) {
            progress.accept("server pid " + server.pid() + " listening on " + server.uri());
            return runOn(new Target(server.uri(), credentials, server.pid()));
        }
    }

    private Report runOn(Target target) throws InterruptedException {
        return switch (options.workload()) {
            case FANOUT -> FanoutBench.run(target, fanoutOptions(), progress);
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
