package io.signalbox.cli;

import io.signalbox.chaos.ChaosReport;
import io.signalbox.chaos.ChaosRun;
import io.signalbox.server.RateLimits;
import io.signalbox.server.ServerConfig;
import io.signalbox.server.auth.ApiCredentials;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code signalbox chaos}: the reconnection contract under random link failures, in one process. */
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
            description = "How many clients join the session, at least 2 (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--drops", defaultValue = "100", paramLabel = "N",
            description = "How many links to break (default: ${DEFAULT-VALUE}).")
    int drops;

    @Option(names = "--seconds", defaultValue = "60", paramLabel = "N",
            description = {"The longest the sending and dropping may last (default: ${DEFAULT-VALUE});",
                    "settling afterwards takes at most 20 s more."})
    int seconds;

    @Option(names = "--seed", paramLabel = "S",
            description = "The seed of every random choice, to repeat a run (default: a new one).")
    Long seed;

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    @Override
    public Integer call() {
        if (clients < 2) throw usage("--clients must be at least 2, not " + clients);
        if (drops < 0) throw usage("--drops must not be negative, not " + drops);
        if (seconds < 1) throw usage("--seconds must be at least 1, not " + seconds);
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
