package io.signalbox.cli;

import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.soak.SoakOptions;
import io.signalbox.soak.SoakReport;
import io.signalbox.soak.SoakRun;
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
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code signalbox soak}: many clients against one server for a long time, every signal checked. */
@Command(name = "soak", mixinStandardHelpOptions = true,
        description = {
                "Runs a server in a process of its own (or --url a running one) with SDK",
                "clients in sessions, for N minutes of mixed traffic: client broadcasts and",
                "private signals, REST signals to everyone and to one connection, while links",
                "are cut at random and resume.",
                "",
                "Every interval it prints signals sent and delivered, the server's heap after",
                "a full GC (by jcmd; a running server's own last-GC figure with --url), its",
                "open files, RSS and threads, and the clients' drops and reconnections. At the",
                "end: what was sent, delivered, lost, doubled, reordered and failed (with why),",
                "the first and last heap and file counts, the heap's trend, and a verdict.",
                "",
                "Exit codes: 0 when nothing was lost, doubled or reordered and the heap and",
                "open files stayed flat (heap +25%% or +16 MB, files +max(20, clients/50)),",
                "1 otherwise, 2 for bad options."
        })
final class SoakCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--minutes", defaultValue = "30", paramLabel = "N",
            description = "How long the traffic runs, in minutes; fractions allowed (default: ${DEFAULT-VALUE}).")
    double minutes;

    @Option(names = "--clients", defaultValue = "1000", paramLabel = "N",
            description = "SDK clients, in one JVM sharing their threads (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--sessions", defaultValue = "10", paramLabel = "N",
            description = "Sessions the clients are spread over, in blocks (default: ${DEFAULT-VALUE}: 1000 clients"
                    + " in 10 sessions of 100, so that a broadcast reaches 100).")
    int sessions;

    @Option(names = "--rate", defaultValue = "200", paramLabel = "R",
            description = "Signals per second in all (default: ${DEFAULT-VALUE}): 30%% broadcasts, 50%% private,"
                    + " 10%% REST to everyone, 10%% REST to one; some 8,000 deliveries a second at the default.")
    int rate;

    @Option(names = "--interval", defaultValue = "60", paramLabel = "SECONDS",
            description = "Seconds between two progress lines (default: ${DEFAULT-VALUE}).")
    double interval;

    @Option(names = "--drops", defaultValue = "60", paramLabel = "N",
            description = "Links cut per minute, each a random client's (default: ${DEFAULT-VALUE}).")
    int drops;

    @Option(names = "--max-offline", defaultValue = "5", paramLabel = "SECONDS",
            description = "The longest a cut client stays offline, at most 30 (default: ${DEFAULT-VALUE}).")
    double maxOffline;

    @Option(names = "--seed", paramLabel = "S", description = "The seed of every random choice (default: a new one).")
    Long seed;

    @Option(names = "--url", paramLabel = "URL",
            description = "A running server's base URL (http://HOST:PORT), with --api-key and --api-secret;"
                    + " it must run without rate limits and admit a session's clients.")
    URI url;

    @Option(names = "--server-pid", paramLabel = "PID",
            description = "With --url: the server's process id, for /proc figures and a full GC before each reading.")
    long serverPid = -1;

    @Option(names = "--server-jvm", paramLabel = "OPTIONS",
            description = "JVM options for the server started here, space-separated, e.g. \"-Xmx512m\".")
    String serverJvm;

    @Option(names = "--server-log", paramLabel = "FILE", description = "Where the started server's log goes (default: dropped).")
    Path serverLog;

    @Option(names = "--json", description = "Prints the report as one JSON object; progress goes to standard error.")
    boolean json;

    @Mixin
    CredentialOptions credentials;

    private final PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);

    @Override
    public Integer call() {
        SoakOptions options;
        try {
            options = SoakOptions.defaults()
                    .withDuration(seconds(minutes * 60, "--minutes"))
                    .withClients(clients, sessions)
                    .withRate(rate)
                    .withInterval(seconds(interval, "--interval"))
                    .withDrops(drops, seconds(maxOffline, "--max-offline"));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (seed != null) options = options.withSeed(seed);
        quietLogs();
        PrintStream progressTo = json ? System.err : out;
        SoakRun run = new SoakRun(options, progressTo::println);
        SoakReport report;
        try {
            if (url != null) {
                report = run.run(url, credentials.require(), serverPid);
            } else {
                ApiCredentials creds = credentials.given() ? credentials.require() : ApiCredentials.generate(new SecureRandom());
                List<String> jvm = serverJvm == null || serverJvm.isBlank() ? List.of() : Arrays.asList(serverJvm.trim().split("\\s+"));
                report = run.runWithServer(jvm, serverLog, creds);
            }
        } catch (IllegalStateException e) {
            progressTo.println("soak: the run could not go on: " + e.getMessage());
            return 1;
        }
        out.print(json ? report.json() + "\n" : report.table());
        return report.clean() ? 0 : 1;
    }

    private Duration seconds(double seconds, String option) {
        if (!(seconds > 0) || seconds > 366 * 24 * 3600) throw new IllegalArgumentException(option + " must be positive, not " + seconds);
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    /**
     * The SDK logs each reconnection at INFO: a thousand clients with drops would bury the progress
     * lines. Unless SIGNALBOX_LOG_LEVEL says otherwise, only warnings are logged.
     */
    private static void quietLogs() {
        if (System.getenv("SIGNALBOX_LOG_LEVEL") != null) return;
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
