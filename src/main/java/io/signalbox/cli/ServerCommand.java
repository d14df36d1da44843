package io.signalbox.cli;

import io.signalbox.client.CertificateFingerprint;
import io.signalbox.server.ServerConfig;
import io.signalbox.server.ServerTls;
import io.signalbox.server.SignalboxServer;
import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.Durations;
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

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = {"Serve HTTPS and WSS (and no plain HTTP) with the key and certificate in this PKCS#12 file.",
                    "Its SHA-256 fingerprint is printed to standard error, for clients of a self-signed certificate."})
    Path tlsKeystore;

    @Option(names = "--tls-password", paramLabel = "PASSWORD", defaultValue = "${env:SIGNALBOX_TLS_PASSWORD}",
            description = {"The password of the --tls-keystore file and its key (default: $SIGNALBOX_TLS_PASSWORD,",
                    "which keeps it out of the process list)."})
    String tlsPassword;

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
        ServerConfig config;
        try {
            config = ServerConfig.defaults(creds)
                    .withHost(host)
                    .withPort(port)
                    .withReconnectWindow(Durations.parse(reconnectWindow))
                    .withHeartbeat(Durations.parse(heartbeat))
                    .withReplayBounds(replaySignals, replayBytes);
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
        SignalboxServer server;
        try {
            server = SignalboxServer.start(config);
        } catch (IllegalArgumentException e) {
            // The keystore could not be used (wrong password, no such file): the person's input, in words.
            throw new ParameterException(spec.commandLine(), e.getMessage());
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
}
