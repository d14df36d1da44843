package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signalbox.tls.TestPki;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server serving TLS from a PKCS#12 keystore: the REST API over HTTPS, no plain HTTP, and clear refusals of bad keystores. */
class TlsServerTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final TestPki pki = new TestPki();
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable resource : resources.reversed()) resource.close();
    }

    private ServerFixture serve(Path keystore) {
        ServerFixture fx = new ServerFixture(c -> c.withTls(new ServerTls(keystore, TestPki.PASSWORD)));
        resources.add(fx);
        return fx;
    }

    /** An HTTP client that trusts the test's authority, and checks host names as browsers do. */
    private HttpClient https() {
        HttpClient http = HttpClient.newBuilder().sslContext(pki.clientContext()).connectTimeout(WAIT).build();
        resources.add(http::close);
        return http;
    }

    @Test
    @DisplayName("the REST API answers over HTTPS with the keystore's certificate, authenticated as over HTTP")
    void restOverHttps() throws Exception {
        ServerFixture fx = serve(pki.issue(dir.resolve("server.p12"), "127.0.0.1").keystore());
        URI url = fx.server.uri();
        assertThat(url.getScheme()).isEqualTo("https");
        HttpClient http = https();

        HttpResponse<String> health = http.send(HttpRequest.newBuilder(url.resolve("/health")).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.sslSession()).isPresent();
        assertThat(health.sslSession().get().getPeerCertificates()[0]).isEqualTo(fx.server.certificate());

        String auth = fx.server.projectAuth().mint(Duration.ofMinutes(3));
        String key = ServerFixture.CREDENTIALS.apiKey();
        HttpResponse<String> list = http.send(HttpRequest.newBuilder(
                        url.resolve("/v2/project/" + key + "/session/" + fx.sessionId + "/connection"))
                .timeout(WAIT).header("X-OPENTOK-AUTH", auth).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        assertThat(list.body()).contains("\"count\":0");

        HttpResponse<String> forged = http.send(HttpRequest.newBuilder(
                        url.resolve("/v2/project/" + key + "/session/" + fx.sessionId + "/connection"))
                .timeout(WAIT).header("X-OPENTOK-AUTH", "forged").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(forged.statusCode()).isEqualTo(403);
    }

    @Test
    @DisplayName("plain HTTP is not served on a TLS server's port")
    void noPlainHttp() throws Exception {
        ServerFixture fx = serve(pki.issue(dir.resolve("server.p12"), "127.0.0.1").keystore());
        URI plain = URI.create("http://127.0.0.1:" + fx.server.port() + "/health");
        HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
        resources.add(http::close);

        // Jetty answers a plain request on a TLS port with a TLS alert or nothing: no HTTP response at all.
        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(plain).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    @DisplayName("a wrong password, a missing file, or a file that is not PKCS#12 stop the start with a clear message")
    void badKeystoresRefused() throws Exception {
        Path keystore = pki.selfSigned(dir.resolve("self.p12")).keystore();
        Path junk = Files.writeString(dir.resolve("junk.p12"), "not a keystore");

        assertThatThrownBy(() -> serve(keystore, "wrong-password"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the TLS keystore " + keystore + " cannot be opened with the password given: it is wrong");
        assertThatThrownBy(() -> serve(dir.resolve("missing.p12"), TestPki.PASSWORD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist");
        assertThatThrownBy(() -> serve(junk, TestPki.PASSWORD))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot be read as PKCS#12");
        assertThat(new ServerTls(keystore, "secret").toString()).doesNotContain("secret");
    }

    private void serve(Path keystore, String password) {
        resources.add(new ServerFixture(c -> c.withTls(new ServerTls(keystore, password))));
    }
}
