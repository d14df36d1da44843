package io.signalbox.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Setting a server up as a node of a cluster, and what goes wrong in words. */
class ClusterConfigTest {
    private final ServerConfig defaults = ServerConfig.defaults(ServerFixture.CREDENTIALS);

    @Test
    @DisplayName("a server is a single node unless given a Redis URI")
    void singleNodeByDefault() {
        assertThat(defaults.clustered()).isFalse();
        assertThat(defaults.withRedis(URI.create("redis://127.0.0.1:6379")).clustered()).isTrue();
    }

    @Test
    @DisplayName("a Redis URI that is not redis:// or names no host is refused in words")
    void badRedisUri() {
        assertThatThrownBy(() -> defaults.withRedis(URI.create("http://127.0.0.1:6379")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("redis://HOST:PORT");
        assertThatThrownBy(() -> defaults.withRedis(URI.create("redis:///0")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names no host");
        assertThatThrownBy(() -> defaults.withRedisBacklog(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a node whose Redis cannot be reached at start does not start, and says which Redis")
    void unreachableRedisAtStart() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        URI nowhere = URI.create("redis://127.0.0.1:" + port);
        assertThatThrownBy(() -> SignalboxServer.start(defaults.withRedis(nowhere)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot reach Redis at 127.0.0.1:" + port);
    }

    @Test
    @DisplayName("a single node reports no cluster on /health and has no node id")
    void singleNodeHealth() throws Exception {
        try (ServerFixture fx = new ServerFixture()) {
            assertThat(fx.server.nodeId()).isNull();
            var http = java.net.http.HttpClient.newHttpClient();
            var health = http.send(java.net.http.HttpRequest.newBuilder(fx.server.uri().resolve("/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).doesNotContain("redis");
        }
    }
}
