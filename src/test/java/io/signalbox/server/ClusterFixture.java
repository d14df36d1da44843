package io.signalbox.server;

import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.ProjectAuth;
import io.signalbox.server.auth.Role;
import io.signalbox.server.auth.SessionIds;
import io.signalbox.server.auth.Tokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A cluster for tests: a Redis of its own and server nodes in processes of their own, all sharing the
 * credentials, with tokens and REST calls for any of them.
 */
final class ClusterFixture implements AutoCloseable {
    static final ApiCredentials CREDENTIALS = ServerFixture.CREDENTIALS;

    final RedisFixture redis;
    final List<NodeProcess> nodes;
    private final Tokens tokens = new Tokens(CREDENTIALS, Clock.systemUTC(), new SecureRandom());
    private final ProjectAuth projectAuth = new ProjectAuth(CREDENTIALS, Clock.systemUTC(), new SecureRandom());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<RawClient> clients = new ArrayList<>();

    private ClusterFixture(RedisFixture redis, List<NodeProcess> nodes) {
        this.redis = redis;
        this.nodes = nodes;
    }

    /** Starts Redis and {@code count} nodes, side by side. */
    static ClusterFixture start(int count, String... nodeArgs) throws Exception {
        RedisFixture redis = RedisFixture.start();
        List<CompletableFuture<NodeProcess>> starting = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String name = "node-" + i + "-" + ProcessHandle.current().pid();
            starting.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return NodeProcess.start(name, redis.uri(), CREDENTIALS, nodeArgs);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            for (CompletableFuture<NodeProcess> node : starting) nodes.add(node.join());
        } catch (RuntimeException e) {
            for (NodeProcess node : nodes) node.kill();
            redis.close();
            throw e;
        }
        return new ClusterFixture(redis, nodes);
    }

    NodeProcess node(int number) {
        return nodes.get(number - 1);
    }

    String newSession() {
        return SessionIds.create(CREDENTIALS.apiKey(), java.time.Instant.now(), new SecureRandom());
    }

    String token(String sessionId, String data) {
        return tokens.mintJwt(sessionId, Role.PUBLISHER, data, Duration.ofHours(1));
    }

    /** A raw client joined to the session on the given node (1-based); closed with the fixture. */
    RawClient join(int node, String sessionId, String data) throws Exception {
        RawClient client = RawClient.open(node(node).ws());
        clients.add(client);
        client.connect(sessionId, token(sessionId, data));
        return client;
    }

    HttpResponse<String> rest(int node, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(node(node).uri().resolve(path))
                .timeout(Duration.ofSeconds(10))
                .header("X-OPENTOK-AUTH", projectAuth.mint(Duration.ofMinutes(3)));
        if (body != null) request.header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET /health} of a node, without credentials. */
    HttpResponse<String> health(int node) throws Exception {
        return http.send(HttpRequest.newBuilder(node(node).uri().resolve("/health")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A field of a hash in the cluster's Redis, or null. */
    String hget(String key, String field) {
        io.lettuce.core.RedisClient client = io.lettuce.core.RedisClient.create(redis.uri().toString());
        try (var connection = client.connect()) {
            return connection.sync().hget(key, field);
        } finally {
            client.shutdown();
        }
    }

    static String sessionPath(String sessionId) {
        return "/v2/project/" + CREDENTIALS.apiKey() + "/session/" + sessionId;
    }

    @Override
    public void close() throws Exception {
        for (RawClient client : clients) {
            try {
                client.close();
            } catch (Exception ignored) {
                // Closed by the server already, or its node is gone.
            }
        }
        http.close();
        for (NodeProcess node : nodes) node.close();
        redis.close();
    }
}
