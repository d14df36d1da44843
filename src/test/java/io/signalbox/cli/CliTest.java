package io.signalbox.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signalbox.client.CertificateFingerprint;
import io.signalbox.client.Session;
import io.signalbox.protocol.ClientMessage;
import io.signalbox.protocol.Codec;
import io.signalbox.protocol.CloseCodes;
import io.signalbox.protocol.ServerMessage;
import io.signalbox.protocol.WireError;
import io.signalbox.server.ServerConfig;
import io.signalbox.server.ServerTls;
import io.signalbox.server.SignalboxServer;
import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.ProjectAuth;
import io.signalbox.server.auth.Role;
import io.signalbox.server.auth.SessionIds;
import io.signalbox.server.auth.TokenGrant;
import io.signalbox.server.auth.Tokens;
import io.signalbox.tls.TestPki;
import jakarta.websocket.ClientEndpointConfig;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.tyrus.client.ClientManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code signalbox} command line, each command run as its own JVM through the real {@code main},
 * so that exit codes, standard output and standard error are what a person or a script sees.
 */
class CliTest {
    private static final String KEY = "31415926";
    private static final String SECRET = "cli-test-secret-0123456789abcdefghijkl";
    private static final ApiCredentials CREDENTIALS = ApiCredentials.of(KEY, SECRET);
    private static final Pattern READY = Pattern.compile("Signalbox server listening on (https?)://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Each command and the options its --help must describe. */
    private static final Map<String, List<String>> OPTIONS = Map.of(
            "server", List.of("--port", "--host", "--api-key", "--api-secret", "--reconnect-window", "--heartbeat",
                    "--tls-keystore", "--tls-password", "SIGNALBOX_TLS_PASSWORD"),
            "token", List.of("--session", "--role", "--data", "--expire-in", "--legacy", "--api-key", "--api-secret"),
            "session", List.of("--api-key", "--api-secret"),
            "signal", List.of("--url", "--session", "--connection", "--type", "--data", "--api-key", "--api-secret",
                    "--fingerprint"),
            "join", List.of("--url", "--session", "--token", "--fingerprint"));

    @TempDir
    Path dir;

    /** Everything a test started, closed after it in reverse order. */
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable resource : resources.reversed()) resource.close();
    }

    // ---- server ---------------------------------------------------------------------------------

    @Test
    @DisplayName("server prints exactly its ready line on stdout, logs on stderr, serves, and on SIGTERM closes clients with 1001 and exits")
    void serverRunsAndStopsOnSigterm() throws Exception {
        Running server = startServer(Map.of(), "server", "--port", "0", "--api-key", KEY, "--api-secret", SECRET);
        URI url = server.awaitReady();

        HttpResponse<String> health = get(url.resolve("/health"));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"ok\"");

        String sessionId = SessionIds.create(KEY, Instant.now(), new SecureRandom());
        WireClient client = track(WireClient.joined(url, sessionId, tokens(CREDENTIALS).mintJwt(sessionId, Role.PUBLISHER, "", Duration.ofHours(1))));

        server.process.destroy();

        CloseReason close = client.awaitClose();
        assertThat(close.getCloseCode().getCode()).isEqualTo(CloseCodes.GOING_AWAY);
        assertThat(server.process.waitFor(10, TimeUnit.SECONDS)).as("exited within 10 s of SIGTERM").isTrue();
        assertThat(server.process.exitValue()).isIn(0, 143);
        assertThat(server.stdoutLines()).as("everything the server wrote to stdout")
                .containsExactly("Signalbox server listening on " + url);
        assertThat(server.stderr()).contains("listening on");
    }

    @Test
    @DisplayName("server with no key and secret generates a pair, prints it to stderr, and signs with it")
    void serverGeneratesCredentials() throws Exception {
        Running server = startServer(Map.of(), "server", "--port", "0");
        URI url = server.awaitReady();

        Pattern keyLine = Pattern.compile("SIGNALBOX_API_KEY=(\\d+)");
        Pattern secretLine = Pattern.compile("SIGNALBOX_API_SECRET=(\\S+)");
        await().atMost(WAIT).until(() -> keyLine.matcher(server.stderr()).find() && secretLine.matcher(server.stderr()).find());
        Matcher key = keyLine.matcher(server.stderr());
        Matcher secret = secretLine.matcher(server.stderr());
        assertThat(key.find() && secret.find()).isTrue();
        assertThat(server.stdoutLines()).noneMatch(line -> line.contains("SIGNALBOX_"));

        ApiCredentials generated = ApiCredentials.of(key.group(1), secret.group(1));
        HttpResponse<String> list = listConnections(url, generated);
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(server.stdoutLines()).containsExactly("Signalbox server listening on " + url);
    }

    @Test
    @DisplayName("server takes its key and secret from SIGNALBOX_API_KEY and SIGNALBOX_API_SECRET")
    void serverHonoursEnvironment() throws Exception {
        ApiCredentials fromEnv = ApiCredentials.of("27182818", "environment-secret-abcdefghijklmnopqrstu");
        Running server = startServer(
                Map.of("SIGNALBOX_API_KEY", fromEnv.apiKey(), "SIGNALBOX_API_SECRET", fromEnv.secretText()),
                "server", "--port", "0");
        URI url = server.awaitReady();

        HttpResponse<String> withEnvCredentials = listConnections(url, fromEnv);
        HttpResponse<String> withOthers = listConnections(url, CREDENTIALS);

        assertThat(withEnvCredentials.statusCode()).as(withEnvCredentials.body()).isEqualTo(200);
        assertThat(withEnvCredentials.body()).contains("\"projectId\":\"27182818\"");
        assertThat(withOthers.statusCode()).isEqualTo(403);
        assertThat(server.stderr()).doesNotContain("SIGNALBOX_API_SECRET=");
    }

    @Test
    @DisplayName("server refuses a secret under 32 bytes with a clear message and a non-zero exit")
    void serverRefusesShortSecret() throws Exception {
        Result result = run(null, "server", "--port", "0", "--api-key", KEY, "--api-secret", "too-short");

        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("API secret must be at least 32 bytes");
        assertThat(result.out()).doesNotContain("listening");
    }

    @Test
    @DisplayName("server refuses an API key that is not a number with a clear message and a non-zero exit")
    void serverRefusesNonNumericKey() throws Exception {
        Result result = run(null, "server", "--port", "0", "--api-key", "my-key", "--api-secret", SECRET);

        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("API key must be a decimal number").contains("my-key");
        assertThat(result.out()).doesNotContain("listening");
    }

    @Test
    @DisplayName("server --rate-signals and --max-connections-per-session: a signal over the rate is refused with RATE_LIMITED and when to retry, one join too many with SESSION_FULL")
    void serverLimitFlags() throws Exception {
        Running server = startServer(Map.of(), "server", "--port", "0", "--api-key", KEY, "--api-secret", SECRET,
                "--rate-signals", "1", "--rate-signals-burst", "2", "--max-connections-per-session", "1");
        URI url = server.awaitReady();
        String sessionId = SessionIds.create(KEY, Instant.now(), new SecureRandom());
        String token = tokens(CREDENTIALS).mintJwt(sessionId, Role.PUBLISHER, "", Duration.ofHours(1));

        WireClient first = track(WireClient.joined(url, sessionId, token));
        for (long seq = 1; seq <= 3; seq++) first.send(new ClientMessage.SendSignal(seq, "chat", "n" + seq, null));
        ServerMessage.Nack refused = null;
        int acked = 0;
        while (refused == null) {
            switch (first.next()) {
                case ServerMessage.Ack ignored -> acked++;
                case ServerMessage.Nack nack -> refused = nack;
                default -> { }
            }
        }
        assertThat(acked).as("the burst of 2 went through").isEqualTo(2);
        assertThat(refused.seq()).isEqualTo(3);
        assertThat(refused.code()).isEqualTo(WireError.RATE_LIMITED.code());
        assertThat(refused.retryAfterMs()).isPositive();
        assertThat(refused.message()).contains("1 signals a second");

        WireClient second = track(WireClient.connecting(url, sessionId, token));
        ServerMessage answer = second.next();
        assertThat(answer).isInstanceOf(ServerMessage.Error.class);
        assertThat(((ServerMessage.Error) answer).code()).isEqualTo(WireError.SESSION_FULL.code());
        assertThat(((ServerMessage.Error) answer).message()).contains("the session is full").contains("1 connection,");
        assertThat(second.awaitClose().getCloseCode().getCode()).isEqualTo(CloseCodes.SESSION_FULL);
        assertThat(server.stderr()).contains("per connection 1 signals/s (burst 2)");
    }

    @Test
    @DisplayName("server refuses a negative rate or a session cap under 1 in words naming the option, with exit 2")
    void serverRefusesBadLimits() throws Exception {
        Result negative = run(null, "server", "--port", "0", "--api-key", KEY, "--api-secret", SECRET, "--rate-signals", "-5");
        assertThat(negative.exit()).isEqualTo(2);
        assertThat(negative.err()).contains("must not be negative").contains("-5");
        assertThat(negative.out()).doesNotContain("listening");

        Result noRoom = run(null, "server", "--port", "0", "--api-key", KEY, "--api-secret", SECRET,
                "--max-connections-per-session", "0");
        assertThat(noRoom.exit()).isEqualTo(2);
        assertThat(noRoom.err()).contains("--max-connections-per-session must be at least 1");
        assertThat(noRoom.out()).doesNotContain("listening");
    }

    // ---- token and session ----------------------------------------------------------------------

    @Test
    @DisplayName("token prints a JWT the server accepts, with the role, the data and the lifetime asked for")
    void tokenMintsJwt() throws Exception {
        String sessionId = SessionIds.create(KEY, Instant.now(), new SecureRandom());
        Instant before = Instant.now();

        Result result = run(null, "token", "--session", sessionId, "--role", "moderator", "--data", "name=Ada",
                "--expire-in", "30m", "--api-key", KEY, "--api-secret", SECRET);

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.outLines()).hasSize(1);
        String token = result.outLines().getFirst();
        assertThat(token).startsWith("eyJ");
        TokenGrant grant = tokens(CREDENTIALS).verify(token, sessionId);
        assertThat(grant.role()).isEqualTo(Role.MODERATOR);
        assertThat(grant.connectionData()).isEqualTo("name=Ada");
        assertThat(grant.expiresAt()).isBetween(before.plus(Duration.ofMinutes(30)).minusSeconds(2),
                Instant.now().plus(Duration.ofMinutes(30)));
    }

    @Test
    @DisplayName("token --legacy prints a T1== token the server accepts")
    void tokenMintsLegacy() throws Exception {
        String sessionId = SessionIds.create(KEY, Instant.now(), new SecureRandom());

        Result result = run(null, "token", "--session", sessionId, "--legacy", "--api-key", KEY, "--api-secret", SECRET);

        assertThat(result.exit()).as(result.err()).isZero();
        String token = result.out().strip();
        assertThat(token).startsWith("T1==");
        assertThat(tokens(CREDENTIALS).verify(token, sessionId).role()).isEqualTo(Role.PUBLISHER);
    }

    @Test
    @DisplayName("token refuses a lifetime over 30 days, printing no token")
    void tokenRefusesLongLifetime() throws Exception {
        String sessionId = SessionIds.create(KEY, Instant.now(), new SecureRandom());

        Result result = run(null, "token", "--session", sessionId, "--expire-in", "31d", "--api-key", KEY, "--api-secret", SECRET);

        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("30 days");
        assertThat(result.out()).isBlank();
    }

    @Test
    @DisplayName("token refuses an unknown role, naming the valid ones")
    void tokenRefusesUnknownRole() throws Exception {
        String sessionId = SessionIds.create(KEY, Instant.now(), new SecureRandom());

        Result result = run(null, "token", "--session", sessionId, "--role", "king", "--api-key", KEY, "--api-secret", SECRET);

        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("king").contains("moderator");
        assertThat(result.out()).isBlank();
    }

    @Test
    @DisplayName("session prints a new session id of the API key")
    void sessionPrintsId() throws Exception {
        Result result = run(null, "session", "--api-key", KEY, "--api-secret", SECRET);

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.outLines()).hasSize(1);
        assertThat(SessionIds.belongsTo(result.outLines().getFirst(), KEY)).isTrue();
    }

    // ---- signal ---------------------------------------------------------------------------------

    @Test
    @DisplayName("signal sends through the REST API to everyone: exit 0, 'delivered', and the client gets it with no sender")
    void signalToEveryone() throws Exception {
        SignalboxServer server = startInProcess();
        String sessionId = server.createSessionId();
        WireClient client = track(WireClient.joined(server.uri(), sessionId, token(server, sessionId)));

        Result result = run(null, "signal", "--url", server.uri().toString(), "--session", sessionId,
                "--type", "chat", "--data", "hi", "--api-key", KEY, "--api-secret", SECRET);

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("delivered");
        ServerMessage.Signal got = client.nextSignal();
        assertThat(got.type()).isEqualTo("chat");
        assertThat(got.data()).isEqualTo("hi");
        assertThat(got.from()).isNull();
        assertThat(got.direct()).isFalse();
    }

    @Test
    @DisplayName("signal to a session no one is in exits non-zero and prints the server's 404")
    void signalToNoOne() throws Exception {
        SignalboxServer server = startInProcess();
        String sessionId = server.createSessionId();

        Result result = run(null, "signal", "--url", server.uri().toString(), "--session", sessionId,
                "--type", "chat", "--data", "hi", "--api-key", KEY, "--api-secret", SECRET);

        assertThat(result.exit()).isNotZero();
        assertThat(result.out() + result.err()).contains("404").contains("no one is connected");
    }

    @Test
    @DisplayName("signal --connection reaches that connection alone, marked direct")
    void signalToOne() throws Exception {
        SignalboxServer server = startInProcess();
        String sessionId = server.createSessionId();
        WireClient a = track(WireClient.joined(server.uri(), sessionId, token(server, sessionId)));
        WireClient b = track(WireClient.joined(server.uri(), sessionId, token(server, sessionId)));

        Result result = run(null, "signal", "--url", server.uri().toString(), "--session", sessionId,
                "--connection", b.selfId, "--type", "dm", "--data", "just you", "--api-key", KEY, "--api-secret", SECRET);

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("delivered").contains(b.selfId);
        ServerMessage.Signal got = b.nextSignal();
        assertThat(got.data()).isEqualTo("just you");
        assertThat(got.direct()).isTrue();
        assertThat(got.from()).isNull();
        // a's first signal is one it broadcasts itself now: the direct one never came to it.
        a.send(new ClientMessage.SendSignal(1L, "marker", "after", null));
        assertThat(a.nextSignal().type()).isEqualTo("marker");
    }

    // ---- join -----------------------------------------------------------------------------------

    @Test
    @DisplayName("join sends each stdin line as a chat signal, prints what it hears, and exits 0 at end of input")
    void joinChatsFromStdin() throws Exception {
        SignalboxServer server = startInProcess();
        String sessionId = server.createSessionId();
        WireClient watcher = track(WireClient.joined(server.uri(), sessionId, token(server, sessionId)));

        Result result = run("hi\n", "join", "--url", server.uri().toString(), "--session", sessionId,
                "--token", token(server, sessionId));

        assertThat(result.exit()).as("exit code; stdout %s; stderr %s", result.out(), result.err()).isZero();
        ServerMessage.Signal got = watcher.nextSignal();
        assertThat(got.type()).isEqualTo("chat");
        assertThat(got.data()).isEqualTo("hi");
        assertThat(got.direct()).isFalse();
        String joinId = got.from();
        assertThat(joinId).isNotNull();
        assertThat(result.outLines()).contains("connected " + joinId, "signal chat from " + joinId + " to all: hi");
        assertThat(result.outLines()).anySatisfy(line -> assertThat(line).startsWith("joined " + watcher.selfId));
    }

    // ---- TLS ------------------------------------------------------------------------------------

    @Test
    @DisplayName("server --tls-keystore prints an https ready line and the fingerprint, takes the password from SIGNALBOX_TLS_PASSWORD, and serves HTTPS only")
    void serverServesTls() throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued issued = pki.issue(dir.resolve("server.p12"), "127.0.0.1");
        Running server = startServer(Map.of("SIGNALBOX_TLS_PASSWORD", TestPki.PASSWORD),
                "server", "--port", "0", "--api-key", KEY, "--api-secret", SECRET,
                "--tls-keystore", issued.keystore().toString());
        URI url = server.awaitReady();

        assertThat(url.getScheme()).isEqualTo("https");
        await().atMost(WAIT).until(() -> server.stderr().contains("fingerprint"));
        assertThat(server.stderr()).contains("TLS certificate SHA-256 fingerprint: "
                + CertificateFingerprint.of(issued.certificate()));
        try (HttpClient https = HttpClient.newBuilder().sslContext(pki.clientContext()).build()) {
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(url.resolve("/health")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
        }
        URI plain = URI.create("http://127.0.0.1:" + url.getPort() + "/health");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> get(plain)).isInstanceOf(IOException.class);
        assertThat(server.stdoutLines()).containsExactly("Signalbox server listening on " + url);
    }

    @Test
    @DisplayName("server with a wrong keystore password, or none, exits 2 with the reason in words and no stack trace")
    void serverRefusesBadKeystore() throws Exception {
        Path keystore = new TestPki().selfSigned(dir.resolve("self.p12")).keystore();
        Launched wrong = launch(null, "server", "--port", "0", "--api-key", KEY, "--api-secret", SECRET,
                "--tls-keystore", keystore.toString(), "--tls-password", "not-the-password");
        Launched none = launch(null, "server", "--port", "0", "--api-key", KEY, "--api-secret", SECRET,
                "--tls-keystore", keystore.toString());

        Result wrongResult = wrong.finish();
        assertThat(wrongResult.exit()).isEqualTo(2);
        assertThat(wrongResult.err()).contains("the TLS keystore " + keystore + " cannot be opened with the password given: it is wrong")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(wrongResult.out()).doesNotContain("listening");
        Result noneResult = none.finish();
        assertThat(noneResult.exit()).isEqualTo(2);
        assertThat(noneResult.err()).contains("pass --tls-password or set SIGNALBOX_TLS_PASSWORD");
    }

    @Test
    @DisplayName("join over https believes the JVM's trust store: refused without the authority, joined with it in javax.net.ssl.trustStore, refused for another host name")
    void joinUsesTheJvmTrustStore() throws Exception {
        TestPki pki = new TestPki();
        SignalboxServer server = startInProcess(pki.issue(dir.resolve("server.p12"), "127.0.0.1"));
        String sessionId = server.createSessionId();
        List<String> trustingJvm = List.of(
                "-Djavax.net.ssl.trustStore=" + pki.trustStore(dir.resolve("trust.p12")),
                "-Djavax.net.ssl.trustStorePassword=" + TestPki.PASSWORD,
                "-Djavax.net.ssl.trustStoreType=PKCS12");
        String byName = "https://localhost:" + server.port();

        // Two JVMs at a time at most: each takes its TLS handshake seconds on a busy machine.
        Launched untrusted = launchWith(List.of(), "hi\n", "join", "--url", server.uri().toString(),
                "--session", sessionId, "--token", token(server, sessionId));
        Launched trusted = launchWith(trustingJvm, "hi\n", "join", "--url", server.uri().toString(),
                "--session", sessionId, "--token", token(server, sessionId));
        Result refused = untrusted.finish();
        Result joined = trusted.finish();
        Result misnamed = launchWith(trustingJvm, "hi\n", "join", "--url", byName,
                "--session", sessionId, "--token", token(server, sessionId)).finish();

        assertThat(refused.exit()).as(refused.err()).isEqualTo(1);
        assertThat(refused.err()).contains("cannot join").contains("certificate is not trusted");
        assertThat(joined.exit()).as("stdout %s; stderr %s", joined.out(), joined.err()).isZero();
        assertThat(joined.outLines()).anySatisfy(line -> assertThat(line).startsWith("signal chat from ").endsWith(" to all: hi"));
        assertThat(misnamed.exit()).as(misnamed.err()).isEqualTo(1);
        assertThat(misnamed.err()).contains("certificate is not trusted").contains("localhost");
    }

    @Test
    @DisplayName("join and signal with --fingerprint trust a self-signed server; a wrong fingerprint is refused in words")
    void fingerprintPinsSelfSignedServer() throws Exception {
        TestPki pki = new TestPki();
        TestPki.Issued issued = pki.selfSigned(dir.resolve("self.p12"));
        SignalboxServer server = startInProcess(issued);
        String sessionId = server.createSessionId();
        String pin = CertificateFingerprint.of(issued.certificate()).toString();
        String wrongPin = CertificateFingerprint.of(pki.selfSigned(dir.resolve("other.p12")).certificate()).hex();
        BlockingQueue<io.signalbox.client.Signal> watcherHears = new LinkedBlockingQueue<>();
        Session watcher = Session.builder(server.uri(), sessionId).listener(new io.signalbox.client.SessionListener() {
            @Override
            public void onSignal(Session session, io.signalbox.client.Signal signal) {
                watcherHears.add(signal);
            }
        }).trustedCertificate(pin).build();
        resources.add(() -> watcher.disconnect().get(10, TimeUnit.SECONDS));
        assertThat(watcher.connect(token(server, sessionId))).succeedsWithin(WAIT);
        String url = server.uri().toString();

        // Two JVMs at a time at most: each takes its TLS handshake seconds on a busy machine.
        Launched join = launch(null, "join", "--url", url, "--session", sessionId, "--token", token(server, sessionId),
                "--fingerprint", pin);
        Launched joinWrong = launch(null, "join", "--url", url, "--session", sessionId, "--token", token(server, sessionId),
                "--fingerprint", wrongPin);
        Result joined = join.finish();
        Result refused = joinWrong.finish();
        Launched signal = launch(null, "signal", "--url", url, "--session", sessionId, "--type", "chat", "--data", "pinned",
                "--api-key", KEY, "--api-secret", SECRET, "--fingerprint", pin);
        Launched signalWrong = launch(null, "signal", "--url", url, "--session", sessionId, "--type", "chat",
                "--data", "never", "--api-key", KEY, "--api-secret", SECRET, "--fingerprint", wrongPin);
        Result sent = signal.finish();
        Result notSent = signalWrong.finish();

        assertThat(joined.exit()).as("stdout %s; stderr %s", joined.out(), joined.err()).isZero();
        assertThat(joined.outLines()).anySatisfy(line -> assertThat(line).startsWith("connected "));
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("cannot join").contains("not the trusted").contains(pin);
        assertThat(sent.exit()).as(sent.err()).isZero();
        assertThat(sent.out()).contains("delivered");
        assertThat(notSent.exit()).isEqualTo(2);
        assertThat(notSent.err()).contains("signal not sent").contains("not trusted").contains(pin);
        io.signalbox.client.Signal got = watcherHears.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(got).isNotNull();
        assertThat(got.data()).isEqualTo("pinned");
        assertThat(got.from()).as("sent by the server").isNull();
    }

    @Test
    @DisplayName("a damaged --fingerprint, or one for a plain http URL, is a usage error in words")
    void badFingerprintRefused() throws Exception {
        Launched damaged = launch(null, "join", "--url", "https://127.0.0.1:1", "--session", "s", "--token", "t",
                "--fingerprint", "AB:CD");
        Launched plain = launch(null, "signal", "--url", "http://127.0.0.1:1", "--session", "s", "--data", "d",
                "--api-key", KEY, "--api-secret", SECRET, "--fingerprint", "00".repeat(32));

        Result damagedResult = damaged.finish();
        assertThat(damagedResult.exit()).isEqualTo(2);
        assertThat(damagedResult.err()).contains("64 hex digits");
        Result plainResult = plain.finish();
        assertThat(plainResult.exit()).isEqualTo(2);
        assertThat(plainResult.err()).contains("--fingerprint is for an https server");
    }

    // ---- help -----------------------------------------------------------------------------------

    @Test
    @DisplayName("--help of every command exits 0 and describes each of its options")
    void helpOfEachCommand() throws Exception {
        // Started together: each is a JVM that only prints, and one after another they take seconds.
        Map<String, Launched> helps = new TreeMap<>();
        try {
            for (String command : OPTIONS.keySet()) helps.put(command, launch(null, command, "--help"));

            for (Map.Entry<String, Launched> help : helps.entrySet()) {
                String command = help.getKey();
                Result result = help.getValue().finish();
                assertThat(result.exit()).as("%s --help: %s", command, result.err()).isZero();
                assertThat(result.out()).contains("Usage: signalbox " + command);
                for (String option : OPTIONS.get(command)) {
                    assertThat(result.out()).as("%s --help", command).contains(option);
                }
            }
        } finally {
            for (Launched help : helps.values()) help.process().destroyForcibly();
        }
    }

    @Test
    @DisplayName("--help prints the usage with every command and the invite link parameter, and exits 0")
    void helpPrintsUsage() throws Exception {
        // With no command at all the desktop app opens, so the usage is asked for explicitly.
        Result result = run(null, "--help");

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("Usage: signalbox").contains("[LINK]").contains("desktop app");
        for (String command : OPTIONS.keySet()) {
            assertThat(result.out()).containsPattern("(?m)^\\s+" + command + "\\b");
        }
    }

    @Test
    @DisplayName("an argument that is neither a command nor an invite link is refused in words, with exit 2 and no window")
    void junkArgument() throws Exception {
        Result result = run(null, "sever");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("'sever' is neither a command nor an invite link").contains("--help");
        assertThat(result.out()).isBlank();
    }

    @Test
    @DisplayName("a damaged invite link is refused with what is wrong with it, before any window opens")
    void damagedLink() throws Exception {
        Result result = run(null, "signalbox://join?url=http%3A%2F%2F127.0.0.1%3A7400&session=S");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("The invite link has no token.");
    }

    // ---- helpers --------------------------------------------------------------------------------

    // ---- self-test: run as an installed copy runs it, with no display ----

    @Test
    @DisplayName("--self-test without a display passes every check, prints one row each, and exits 0")
    void selfTestPasses() throws Exception {
        Result result = run(null, "--self-test");

        assertThat(result.exit()).as("exit code; stdout:%n%s%nstderr:%n%s", result.out(), result.err()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("Signalbox self-test");
        assertThat(lines).filteredOn(line -> line.matches(".*\\s(ok|failed)\\s+\\d+ ms"))
                .extracting(line -> line.replaceAll("\\s+(ok|failed)\\s+\\d+ ms$", ": $1"))
                .containsExactly(
                        "server starts on a loopback port: ok",
                        "client A connects: ok",
                        "client B connects: ok",
                        "A sees B join: ok",
                        "A -> B direct signal: ok",
                        "B -> everyone signal: ok",
                        "REST API -> everyone signal: ok",
                        "clients leave: ok");
        assertThat(lines.getLast()).matches("all checks passed in \\d+ ms");
    }

    @Test
    @DisplayName("--self-test with an invite link is a usage error")
    void selfTestRefusesLink() throws Exception {
        Result result = run(null, "--self-test", "signalbox://join?url=http%3A%2F%2F127.0.0.1%3A7400&session=S&token=T");

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("--self-test takes no invite link");
        assertThat(result.out()).isEmpty();
    }

    @Test
    @DisplayName("soak refuses options it cannot run, in words, before starting anything")
    void soakUsageErrors() throws Exception {
        Result tooFew = run(null, "soak", "--clients", "10", "--sessions", "6");
        Result longOffline = run(null, "soak", "--max-offline", "45");
        Result noCredentials = run(null, "soak", "--url", "http://127.0.0.1:9", "--minutes", "0.1");

        assertThat(tooFew.exit()).isEqualTo(2);
        assertThat(tooFew.err()).contains("10 clients cannot fill 6 sessions with at least 2 each");
        assertThat(longOffline.exit()).isEqualTo(2);
        assertThat(longOffline.err()).contains("within the reconnection window");
        assertThat(noCredentials.exit()).isEqualTo(2);
        assertThat(noCredentials.err()).contains("no API key");
        assertThat(tooFew.out() + longOffline.out() + noCredentials.out()).doesNotContain("soak: server pid");

        Result help = run(null, "soak", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.err()).as("picocli reads % as a format").doesNotContain("WARN");
        assertThat(help.out()).contains("heap +25% or +16 MB", "--minutes=N", "--rate=R");
    }

    @Test
    @DisplayName("chaos refuses cluster options it cannot run, in words, before starting anything")
    void chaosClusterUsageErrors() throws Exception {
        Result clusterOnly = run(null, "chaos", "--kill-node-at", "5");
        Result tooFew = run(null, "chaos", "--nodes", "3", "--clients", "5", "--sessions", "2");
        Result lateKill = run(null, "chaos", "--nodes", "3", "--seconds", "10", "--kill-node-at", "12");

        assertThat(clusterOnly.exit()).isEqualTo(2);
        assertThat(clusterOnly.err()).contains("go with --nodes 2 or more");
        assertThat(tooFew.exit()).isEqualTo(2);
        assertThat(tooFew.err()).contains("at least 6 clients are needed (one per node in each session)");
        assertThat(lateKill.exit()).isEqualTo(2);
        assertThat(lateKill.err()).contains("the node must be killed before the traffic ends");
        assertThat(clusterOnly.out() + tooFew.out() + lateKill.out()).doesNotContain("chaos: seed");

        Result help = run(null, "chaos", "--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("--nodes=N", "--kill-node-at=SECONDS", "--redis=URI", "--logs=DIR");
    }

    private record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }
    }

    /** A {@code signalbox} JVM with these arguments; SIGNALBOX_* variables of this JVM are not passed on. */
    private static ProcessBuilder signalbox(Map<String, String> env, String... args) {
        return signalbox(List.of(), env, args);
    }

    /** The same, with options for the JVM itself (system properties, say). */
    private static ProcessBuilder signalbox(List<String> jvmOptions, Map<String, String> env, String... args) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // These JVMs live for seconds: the quick compiler alone makes them start sooner.
                "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"),
                "io.signalbox.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        // No display, as on a server: the headless commands must not need one.
        pb.environment().keySet().removeIf(name -> name.startsWith("SIGNALBOX_") || name.equals("DISPLAY")
                || name.equals("WAYLAND_DISPLAY"));
        pb.environment().putAll(env);
        return pb;
    }

    /** Runs a command to its end, with {@code stdin} (or none) as its input. */
    private static Result run(String stdin, String... args) throws Exception {
        return launch(stdin, args).finish();
    }

    /** Starts a command with {@code stdin} (or none) as its input; {@link Launched#finish} waits for it. */
    private static Launched launch(String stdin, String... args) throws IOException {
        return launchWith(List.of(), stdin, args);
    }

    /** The same, with options for the JVM. */
    private static Launched launchWith(List<String> jvmOptions, String stdin, String... args) throws IOException {
        Process process = signalbox(jvmOptions, Map.of(), args).start();
        try {
            CompletableFuture<String> out = drain(process.getInputStream());
            CompletableFuture<String> err = drain(process.getErrorStream());
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            return new Launched(process, List.of(args), out, err);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    private record Launched(Process process, List<String> args, CompletableFuture<String> out,
                            CompletableFuture<String> err) {
        Result finish() throws Exception {
            try {
                assertThat(process.waitFor(40, TimeUnit.SECONDS)).as("signalbox %s exited in time", args).isTrue();
                return new Result(process.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofPlatform().daemon(true).start(() -> {
            try (stream) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                stream.transferTo(bytes);
                text.complete(bytes.toString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.completeExceptionally(e);
            }
        });
        return text;
    }

    private Running startServer(Map<String, String> env, String... args) throws IOException {
        return track(new Running(signalbox(env, args).start()));
    }

    /** A long-running {@code signalbox server}: stdout line by line, stderr as it comes. */
    private static final class Running implements AutoCloseable {
        final Process process;
        private final BlockingQueue<String> fresh = new LinkedBlockingQueue<>();
        private final List<String> allLines = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Void> stdoutEnded = new CompletableFuture<>();
        private final StringBuffer stderr = new StringBuffer();

        Running(Process process) {
            this.process = process;
            Thread.ofPlatform().daemon(true).start(() -> readLines(process.getInputStream(), line -> {
                allLines.add(line);
                fresh.add(line);
            }, stdoutEnded));
            Thread.ofPlatform().daemon(true).start(() -> readLines(process.getErrorStream(),
                    line -> stderr.append(line).append('\n'), new CompletableFuture<>()));
        }

        private static void readLines(InputStream stream, Consumer<String> sink, CompletableFuture<Void> ended) {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) sink.accept(line);
            } catch (IOException e) {
                // The process was killed; what was read is what there is.
            } finally {
                ended.complete(null);
            }
        }

        /** Waits for the first stdout line, which must be the ready line; returns the URL in it. */
        URI awaitReady() throws Exception {
            String line = fresh.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(line).as("the first stdout line; stderr so far:\n%s", stderr).isNotNull();
            Matcher ready = READY.matcher(line);
            assertThat(ready.matches()).as("the ready line: %s", line).isTrue();
            return URI.create(ready.group(1) + "://127.0.0.1:" + ready.group(2));
        }

        /** Every stdout line; once the process has exited, all it ever wrote. */
        List<String> stdoutLines() throws Exception {
            if (!process.isAlive()) stdoutEnded.get(5, TimeUnit.SECONDS);
            return List.copyOf(allLines);
        }

        String stderr() {
            return stderr.toString();
        }

        @Override
        public void close() throws Exception {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private SignalboxServer startInProcess() {
        return track(SignalboxServer.start(ServerConfig.defaults(CREDENTIALS)));
    }

    private SignalboxServer startInProcess(TestPki.Issued certificate) {
        return track(SignalboxServer.start(ServerConfig.defaults(CREDENTIALS)
                .withTls(new ServerTls(certificate.keystore(), TestPki.PASSWORD))));
    }

    private static String token(SignalboxServer server, String sessionId) {
        return server.tokens().mintJwt(sessionId, Role.PUBLISHER, "", Duration.ofHours(1));
    }

    private static Tokens tokens(ApiCredentials credentials) {
        return new Tokens(credentials, Clock.systemUTC(), new SecureRandom());
    }

    private static HttpResponse<String> get(URI uri) throws Exception {
        return send(HttpRequest.newBuilder(uri).timeout(WAIT).GET().build());
    }

    private static HttpResponse<String> listConnections(URI server, ApiCredentials credentials) throws Exception {
        String sessionId = SessionIds.create(credentials.apiKey(), Instant.now(), new SecureRandom());
        String jwt = new ProjectAuth(credentials, Clock.systemUTC(), new SecureRandom()).mint(Duration.ofMinutes(3));
        return send(HttpRequest.newBuilder(server.resolve("/v2/project/" + credentials.apiKey() + "/session/" + sessionId + "/connection"))
                .timeout(WAIT).header("X-OPENTOK-AUTH", jwt).GET().build());
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /** A bare Tyrus client speaking the wire protocol, to watch a session from outside the SDK. */
    private static final class WireClient implements AutoCloseable {
        private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        private final CompletableFuture<CloseReason> closed = new CompletableFuture<>();
        /** No idle timeout (-1, not 0): then no send schedules Tyrus's idle timer, whose executor Tyrus stops when the socket closes. */
        private final ClientManager manager = ClientManager.createClient();
        private final jakarta.websocket.Session socket;
        /** This client's connection id; set once by joined(), before the client is shared. */
        private String selfId;

        private WireClient(URI serverUrl) throws Exception {
            URI ws = URI.create("ws://" + serverUrl.getHost() + ":" + serverUrl.getPort() + SignalboxServer.WEBSOCKET_PATH);
            manager.setDefaultMaxSessionIdleTimeout(-1);
            socket = manager.connectToServer(new Endpoint() {
                @Override
                public void onOpen(jakarta.websocket.Session s, EndpointConfig config) {
                    s.addMessageHandler(String.class, (MessageHandler.Whole<String>) frames::add);
                }

                @Override
                public void onClose(jakarta.websocket.Session s, CloseReason reason) {
                    closed.complete(reason);
                }
            }, ClientEndpointConfig.Builder.create().build(), ws);
        }

        /** Opens a socket and sends {@code connect}, leaving the answer to be read. */
        static WireClient connecting(URI serverUrl, String sessionId, String token) throws Exception {
            WireClient client = new WireClient(serverUrl);
            client.send(new ClientMessage.Connect(1, sessionId, token));
            return client;
        }

        static WireClient joined(URI serverUrl, String sessionId, String token) throws Exception {
            WireClient client = new WireClient(serverUrl);
            client.send(new ClientMessage.Connect(1, sessionId, token));
            ServerMessage first = client.next();
            assertThat(first).as("the answer to connect").isInstanceOf(ServerMessage.Connected.class);
            client.selfId = ((ServerMessage.Connected) first).self().id();
            return client;
        }

        void send(ClientMessage message) {
            try {
                socket.getBasicRemote().sendText(Codec.encode(message));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        ServerMessage next() throws Exception {
            String frame = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(frame).as("a frame within %s", WAIT).isNotNull();
            return Codec.decodeServer(frame);
        }

        /** The next signal, skipping connection events and acknowledgements. */
        ServerMessage.Signal nextSignal() throws Exception {
            while (true) {
                if (next() instanceof ServerMessage.Signal signal) return signal;
            }
        }

        CloseReason awaitClose() throws Exception {
            return closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() throws Exception {
            if (socket.isOpen()) socket.close();
            manager.shutdown();
        }
    }
}
