package io.signalbox.server;

import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.Role;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A real server on a free loopback port, with a session and tokens for it. */
final class ServerFixture implements AutoCloseable {
    static final ApiCredentials CREDENTIALS =
            ApiCredentials.of("46112233", "5f1a0c9d3e7b24a68c0d1e2f3a4b5c6d7e8f9012");

    final SignalboxServer server;
    final String sessionId;

    ServerFixture() {
        this(UnaryOperator.identity());
    }

    ServerFixture(UnaryOperator<ServerConfig> tweak) {
        server = SignalboxServer.start(tweak.apply(ServerConfig.defaults(CREDENTIALS)));
        sessionId = server.createSessionId();
    }

    String token() {
        return token(Role.PUBLISHER, "");
    }

    String token(Role role, String data) {
        return server.tokens().mintJwt(sessionId, role, data, Duration.ofHours(1));
    }

    String tokenFor(String otherSession) {
        return server.tokens().mintJwt(otherSession, Role.PUBLISHER, "", Duration.ofHours(1));
    }

    RawClient join() throws Exception {
        return RawClient.joined(server, sessionId, token());
    }

    @Override
    public void close() {
        server.close();
    }
}
