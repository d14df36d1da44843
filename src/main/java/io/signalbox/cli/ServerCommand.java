package io.signalbox.cli;

import io.signalbox.client.CertificateFingerprint;
import io.signalbox.server.RateLimits;
import io.signalbox.server.ServerConfig;
import io.signalbox.server.ServerTls;
import io.signalbox.server.SignalboxServer;
import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.Durations;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code signalbox server}: runs the server until it is stopped (Ctrl+C or SIGTERM). */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {
                "Runs a Signalbox server: the WebSocket endpoint for clients and the REST API.",
                "When ready it prints one line to standard output: 'Signalbox server listening on http://HOST:PORT'",
                "(https:// with --tls-keystore, when it serves HTTPS and WSS only).",
                "Logs go to standard error. SIGTERM or Ctrl+C closes every connection cleanly."
        })
final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "The address to listen on (default: ${DEFAULT-VALUE}); 0.0.0.0 for every interface.")
    String host;

    @Option(names = "--port", defaultValue = "7400", paramLabel = "PORT",
            description = "The port (default: ${DEFAULT-VALUE}); 0 for any free port.")
    int port;

    @Option(names = "--reconnect-window", defaultValue = "60s", paramLabel = "DURATION",
            description = "How long a dropped connection is kept for its client to resume (default: ${DEFAULT-VALUE}).")
    String reconnectWindow;

    @Option(names = "--heartbeat", defaultValue = "4s", paramLabel = "DURATION",
            description = "How often clients ping; a link silent for 2.5 beats is dead (default: ${DEFAULT-VALUE}).")
    String heartbeat;

    @Option(names = "--replay-signals", defaultValue = "1024", paramLabel = "COUNT",
            description = "Signals kept per connection for a client that resumes after a drop (default: ${DEFAULT-VALUE}).")
    int replaySignals;

    @Option(names = "--replay-bytes", defaultValue = "1048576", paramLabel = "BYTES",
            description = "The same bound in bytes (default: ${DEFAULT-VALUE}); beyond either, the client is told how many it missed.")
    long replayBytes;

    @Option(names = "--rate-signals", defaultValue = "100", paramLabel = "PER_SECOND",
            description = "Signals a connection may send per second (default: ${DEFAULT-VALUE}); 0 for no limit.")
    long rateSignals;

    @Option(names = "--rate-signals-burst", defaultValue = "500", paramLabel = "COUNT",
            description = "The most signals a connection may send at once (default: ${DEFAULT-VALUE}).")
    long rateSignalsBurst;

    @Option(names = "--rate-bytes", defaultValue = "1048576", paramLabel = "PER_SECOND",
            description = "Bytes of signal type and data a connection may send per second (default: ${DEFAULT-VALUE}); 0 for no limit.")
    long rateBytes;

    @Option(names = "--rate-bytes-burst", defaultValue = "4194304", paramLabel = "BYTES",
            description = "The most such bytes a connection may send at once (default: ${DEFAULT-VALUE}; at least 8320).")
    long rateBytesBurst;

    @Option(names = "--flood-refusals", defaultValue = "100", paramLabel = "COUNT",
            description = {"A connection with more signals refused for the rate within --flood-window is closed",
                    "as flooding, code 4004 (default: ${DEFAULT-VALUE}); 0 never closes one."})
    int floodRefusals;

    @Option(names = "--flood-window", defaultValue = "10s", paramLabel = "DURATION",
            description = "The window of --flood-refusals (default: ${DEFAULT-VALUE}).")
    String floodWindow;

    @Option(names = "--rest-rate-signals", defaultValue = "100", paramLabel = "PER_SECOND",
            description = "Signals per second through the REST API, per API key (default: ${DEFAULT-VALUE}); 0 for no limit.")
    long restRateSignals;

    @Option(names = "--rest-rate-signals-burst", defaultValue = "500", paramLabel = "COUNT",
            description = "The most REST signals at once, per API key (default: ${DEFAULT-VALUE}).")
    long restRateSignalsBurst;

    @Option(names = "--no-rate-limits",
            description = "Limit no rate at all, overriding the --rate, --flood and --rest-rate options (for load tests).")
    boolean noRateLimits;

    @Option(names = "--max-connections-per-session", defaultValue = "1000", paramLabel = "COUNT",
            description = "The most connections one session may have; one more is refused (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerSession;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = {"Serve HTTPS and WSS (and no plain HTTP) with the key and certificate in this PKCS#12 file.",
                    "Its SHA-256 fingerprint is printed to standard error, for clients of a self-signed certificate."})
    Path tlsKeystore;

    @Option(names = "--tls-password", paramLabel = "PASSWORD", defaultValue = "${env:SIGNALBOX_TLS_PASSWORD}",
            description = {"The password of the --tls-keystore file and its key (default: $SIGNALBOX_TLS_PASSWORD,",
                    "which keeps it out of the process list)."})
    String tlsPassword;

    @Option(names = "--redis", paramLabel = "URI",
            description = {"Join the cluster of nodes that share sessions through this Redis (redis://HOST:PORT).",
                    "Every node of a cluster needs the same API key and secret. Without it, one node keeps all in memory."})
    URI redis;

    @Option(names = "--redis-backlog", defaultValue = "10000", paramLabel = "COUNT",
            description = {"Signals for other nodes that may wait while Redis is away (default: ${DEFAULT-VALUE});",
                    "beyond it a signal that must reach another node is refused, delivered to no one."})
    int redisBacklog;

    @Mixin
    CredentialOptions credentials;

    @Override
    public Integer call() throws InterruptedException {
        ApiCredentials creds;
        if (credentials.given()) {
            creds = credentials.require();
        } else {
            creds = ApiCredentials.generate(new SecureRandom());
            System.err.println("No API key and secret given; generated a pair for this run:");
            System.err.println("  SIGNALBOX_API_KEY=" + creds.apiKey());
            System.err.println("  SIGNALBOX_API_SECRET=" + creds.secretText());
        }
        if (maxConnectionsPerSession < 1) {
            throw new ParameterException(spec.commandLine(),
                    "--max-connections-per-session must be at least 1, not " + maxConnectionsPerSession);
        }
        ServerConfig config;
        try {
            config = ServerConfig.defaults(creds)
                    .withHost(host)
                    .withPort(port)
                    .withReconnectWindow(Durations.parse(reconnectWindow))
                    .withHeartbeat(Durations.parse(heartbeat))
                    .withReplayBounds(replaySignals, replayBytes)
                    .withRateLimits(rateLimits())
                    .withMaxConnectionsPerSession(maxConnectionsPerSession)
                    .withRedis(redis)
                    .withRedisBacklog(redisBacklog);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (tlsKeystore != null) {
            if (tlsPassword == null || tlsPassword.isEmpty()) {
                throw new ParameterException(spec.commandLine(),
                        "no password for the TLS keystore: pass --tls-password or set SIGNALBOX_TLS_PASSWORD");
            }
            config = config.withTls(new ServerTls(tlsKeystore, tlsPassword));
        }
        RateLimits limits = config.rateLimits();
        System.err.println(limits.limitsConnections() || limits.restSignalsPerSecond() > 0
                ? "Rate limits: " + describe(limits) : "Rate limits: none");
        SignalboxServer server;
        try {
            server = SignalboxServer.start(config);
        } catch (IllegalArgumentException e) {
            // The keystore could not be used (wrong password, no such file): the person's input, in words.
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (IllegalStateException e) {
            // Redis could not be reached at start: say so, rather than serve a cluster of one by surprise.
            System.err.println("Cannot start: " + e.getMessage());
            return 1;
        }
        if (server.nodeId() != null) {
            System.err.println("Cluster node " + server.nodeId() + ", sharing sessions through " + redis);
        }
        if (server.certificate() != null) {
            System.err.println("TLS certificate SHA-256 fingerprint: " + CertificateFingerprint.of(server.certificate()));
            System.err.println("  (clients of a self-signed certificate trust exactly this one with --fingerprint)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("signalbox-shutdown").unstarted(() -> {
            server.close();
            stopped.countDown();
        }));
        System.out.println("Signalbox server listening on " + server.uri());
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** The limits from the options; a rate of 0 takes no burst, whatever the burst option says. */
    private RateLimits rateLimits() {
        if (noRateLimits) return RateLimits.unlimited();
        return RateLimits.defaults()
                .withSignals(rateSignals, rateSignals == 0 ? 0 : rateSignalsBurst)
                .withBytes(rateBytes, rateBytes == 0 ? 0 : rateBytesBurst)
                .withFlood(floodRefusals, Durations.parse(floodWindow))
                .withRest(restRateSignals, restRateSignals == 0 ? 0 : restRateSignalsBurst);
    }

    private static String describe(RateLimits limits) {
        return "per connection " + (limits.signalsPerSecond() == 0 ? "any number of signals" : limits.signalsPerSecond()
                + " signals/s (burst " + limits.signalBurst() + ")") + " and "
                + (limits.bytesPerSecond() == 0 ? "any number of bytes" : limits.bytesPerSecond()
                + " bytes/s (burst " + limits.byteBurst() + ")")
                + (limits.floodRefusals() == 0 ? "" : "; flooding after " + limits.floodRefusals() + " refusals in "
                + limits.floodWindow().toSeconds() + " s")
                + "; REST " + (limits.restSignalsPerSecond() == 0 ? "unlimited" : limits.restSignalsPerSecond()
                + " signals/s per API key (burst " + limits.restSignalBurst() + ")");
    }
}
