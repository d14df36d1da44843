package io.signalbox.client;

import static io.signalbox.client.SessionFixture.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signalbox.server.ServerConfig;
import io.signalbox.server.ServerTls;
import io.signalbox.server.SignalboxServer;
import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.Role;
import io.signalbox.tls.TestPki;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sessions over wss against the real server serving TLS on a free loopback port: the certificate pinned
 * by fingerprint, a wrong one refused, and the runtime's default trust refusing what it does not vouch
 * for. (That the default trust is the runtime's own trust store is shown by the command-line tests,
 * whose JVMs are started with a trust store of the test's authority.)
 */
class TlsSessionTest {
    private static final ApiCredentials CREDENTIALS =
            ApiCredentials.of("46112233", "5f1a0c9d3e7b24a68c0d1e2f3a4b5c6d7e8f9012");
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();
    /** Servers and sessions the test started, ended after it. */
    private final List<SignalboxServer> servers = new ArrayList<>();
    private final List<Session> sessions = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        try {
            CompletableFuture.allOf(sessions.stream().map(Session::disconnect).toArray(CompletableFuture[]::new))
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            servers.forEach(SignalboxServer::close);
        }
    }

    private SignalboxServer serve(TestPki.Issued certificate) {
        return serve(certificate, 0);
    }

    private SignalboxServer serve(TestPki.Issued certificate, int port) {
        SignalboxServer server = SignalboxServer.start(ServerConfig.defaults(CREDENTIALS).withPort(port)
                .withTls(new ServerTls(certificate.keystore(), TestPki.PASSWORD)));
        servers.add(server);
        return server;
    }

    private Session session(URI url, String sessionId, String fingerprint, RecordingListener listener) {
        Session session = Session.builder(url, sessionId).listener(listener).connectTimeout(Duration.ofSeconds(5))
                .trustedCertificate(fingerprint).build();
        sessions.add(session);
        return session;
    }

    private static String token(SignalboxServer server, String sessionId) {
        return server.tokens().mintJwt(sessionId, Role.PUBLISHER, "", Duration.ofHours(1));
    }

    @Test
    @DisplayName("a server with TLS reports an https URL and shows the certificate of its keystore")
    void serverReportsHttps() {
        TestPki.Issued issued = pki.selfSigned(dir.resolve("self.p12"));
        SignalboxServer server = serve(issued);

        assertThat(server.uri().toString()).isEqualTo("https://127.0.0.1:" + server.port());
        assertThat(server.certificate()).isEqualTo(issued.certificate());
    }

    @Test
    @DisplayName("with the certificate pinned by fingerprint, two sessions join over wss and exchange signals")
    void pinnedSessionsExchangeSignals() {
        TestPki.Issued issued = pki.selfSigned(dir.resolve("self.p12"));
        SignalboxServer server = serve(issued);
        String sessionId = server.createSessionId();
        String pin = CertificateFingerprint.of(issued.certificate()).toString();
        RecordingListener aliceHears = new RecordingListener(WAIT);
        RecordingListener bobHears = new RecordingListener(WAIT);
        Session alice = session(server.uri(), sessionId, pin, aliceHears);
        // The other form of the same fingerprint, and a host name the certificate does not carry: a pin
        // names the certificate itself, so neither matters.
        Session bob = session(URI.create("https://localhost:" + server.port()), sessionId,
                CertificateFingerprint.of(issued.certificate()).hex().toUpperCase(Locale.ROOT), bobHears);

        assertThat(alice.connect(token(server, sessionId))).succeedsWithin(WAIT);
        aliceHears.assertConnected();
        assertThat(bob.connect(token(server, sessionId))).succeedsWithin(WAIT);
        bobHears.assertConnected();
        String aliceId = alice.getConnection().getConnectionId();
        bobHears.assertConnectionCreated(aliceId);

        assertThat(alice.sendSignal("chat", "over TLS")).succeedsWithin(WAIT);
        bobHears.assertSignal("chat", "over TLS", aliceId);
    }

    @Test
    @DisplayName("a wrong fingerprint is refused at once with CERTIFICATE_NOT_TRUSTED naming both, and the server sees no one")
    void wrongFingerprintRefused() {
        SignalboxServer server = serve(pki.selfSigned(dir.resolve("self.p12")));
        CertificateFingerprint other = CertificateFingerprint.of(pki.selfSigned(dir.resolve("other.p12")).certificate());
        String sessionId = server.createSessionId();
        RecordingListener hears = new RecordingListener(Duration.ofSeconds(1));
        Session session = session(server.uri(), sessionId, other.toString(), hears);

        long started = System.nanoTime();
        SignalingException refused = failure(session.connect(token(server, sessionId)));

        assertThat(refused.code()).as(refused.getMessage()).isEqualTo(ErrorCode.CERTIFICATE_NOT_TRUSTED);
        assertThat(refused.code().number()).isEqualTo(1030);
        assertThat(refused.getMessage())
                .contains(other.toString())
                .contains(CertificateFingerprint.of(server.certificate()).toString());
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused without waiting out a timeout")
                .isLessThan(Duration.ofSeconds(4));
        assertThat(server.connectionCount()).isZero();
        assertThatThrownBy(hears::nextEvent).as("a failed connect is reported through its future only")
                .hasMessageContaining("no event");
    }

    @Test
    @DisplayName("by default a self-signed certificate, and one from an authority the runtime does not know, are refused")
    void defaultTrustRefusesUnknownCertificates() {
        for (TestPki.Issued issued : List.of(pki.selfSigned(dir.resolve("self.p12")),
                pki.issue(dir.resolve("issued.p12"), "127.0.0.1", "localhost"))) {
            SignalboxServer server = serve(issued);
            String sessionId = server.createSessionId();
            Session session = session(server.uri(), sessionId, null, new RecordingListener(WAIT));

            SignalingException refused = failure(session.connect(token(server, sessionId)));

            assertThat(refused.code()).as(refused.getMessage()).isEqualTo(ErrorCode.CERTIFICATE_NOT_TRUSTED);
            assertThat(refused.getMessage()).contains("not trusted").contains("fingerprint");
            assertThat(server.connectionCount()).isZero();
        }
    }

    @Test
    @DisplayName("an https URL for a server that speaks plain HTTP fails as CONNECT_FAILED, not as a certificate")
    void httpsToPlainServer() {
        SignalboxServer plain = SignalboxServer.start(ServerConfig.defaults(CREDENTIALS));
        servers.add(plain);
        String sessionId = plain.createSessionId();
        Session session = session(URI.create("https://127.0.0.1:" + plain.port()), sessionId, null,
                new RecordingListener(WAIT));

        SignalingException failed = failure(session.connect(token(plain, sessionId)));

        assertThat(failed.code()).as(failed.getMessage()).isEqualTo(ErrorCode.CONNECT_FAILED);
    }

    @Test
    @DisplayName("a pinned session that loses its link reconnects over TLS and resumes the same connection")
    void pinnedSessionReconnects() {
        TestPki.Issued issued = pki.selfSigned(dir.resolve("self.p12"));
        SignalboxServer server = serve(issued);
        String sessionId = server.createSessionId();
        RecordingListener hears = new RecordingListener(WAIT);
        Session session = session(server.uri(), sessionId, CertificateFingerprint.of(issued.certificate()).toString(), hears);
        assertThat(session.connect(token(server, sessionId))).succeedsWithin(WAIT);
        hears.assertConnected();
        String id = session.getConnection().getConnectionId();

        session.faults().dropLink();

        hears.next(RecordingListener.Reconnecting.class);
        hears.assertReconnected();
        assertThat(session.getConnection().getConnectionId()).isEqualTo(id);
        assertThat(session.sendSignal("chat", "still encrypted")).succeedsWithin(WAIT);
        hears.assertSignal("chat", "still encrypted", id);
    }

    @Test
    @DisplayName("when another certificate answers at the address while reconnecting, the session ends at once, saying why")
    void reconnectMeetsAnotherCertificate() throws Exception {
        TestPki.Issued issued = pki.selfSigned(dir.resolve("self.p12"));
        SignalboxServer first = serve(issued);
        int port = first.port();
        String sessionId = first.createSessionId();
        RecordingListener hears = new RecordingListener(WAIT);
        Session session = session(first.uri(), sessionId, CertificateFingerprint.of(issued.certificate()).toString(), hears);
        assertThat(session.connect(token(first, sessionId))).succeedsWithin(WAIT);
        hears.assertConnected();

        first.close();
        hears.next(RecordingListener.Reconnecting.class);
        SignalboxServer impostor = serve(pki.selfSigned(dir.resolve("impostor.p12")), port);

        hears.assertDisconnected(DisconnectReason.NETWORK_DISCONNECTED);
        assertThat(session.getDisconnectMessage())
                .contains("certificate")
                .contains(CertificateFingerprint.of(impostor.certificate()).toString());
        assertThat(impostor.connectionCount()).isZero();
    }

    @Test
    @DisplayName("a fingerprint is read with or without colons, in either case; anything else is refused in words")
    void fingerprintForms() {
        CertificateFingerprint fp = CertificateFingerprint.of(pki.selfSigned(dir.resolve("self.p12")).certificate());

        assertThat(CertificateFingerprint.parse(fp.toString())).isEqualTo(fp);
        assertThat(CertificateFingerprint.parse(fp.hex())).isEqualTo(fp);
        assertThat(CertificateFingerprint.parse(" " + fp.toString().toLowerCase(Locale.ROOT) + " ")).isEqualTo(fp);
        assertThat(fp.toString()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
        assertThat(fp.hex()).matches("[0-9a-f]{64}");

        assertThatThrownBy(() -> CertificateFingerprint.parse("AB:CD"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> CertificateFingerprint.parse("z".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hex digits");
        assertThatThrownBy(() -> Session.builder(URI.create("https://127.0.0.1:1"), "s").trustedCertificate("nope"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a trusted certificate for a plain http URL is refused when the session is built")
    void pinForPlainUrlRefused() {
        String fp = "00".repeat(32);

        assertThatThrownBy(() -> Session.builder(URI.create("http://127.0.0.1:7400"), "s").trustedCertificate(fp).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("https");
    }
}
