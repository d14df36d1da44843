package io.signalbox.bench;

import io.signalbox.server.auth.Role;
import io.signalbox.server.auth.SessionIds;
import io.signalbox.server.auth.Tokens;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/** Session ids and tokens for a run, minted offline with the target's API key and secret. */
final class Credentials {
    private final Target target;
    private final Tokens tokens;
    private final RandomGenerator random = new SecureRandom();

    Credentials(Target target) {
        this.target = target;
        this.tokens = new Tokens(target.credentials(), Clock.systemUTC(), random);
    }

    String newSessionId() {
        return SessionIds.create(target.credentials().apiKey(), Instant.now(), random);
    }

    /** A publisher token for the session, valid for a day; a run may use one token for many clients. */
    String token(String sessionId) {
        return tokens.mintJwt(sessionId, Role.PUBLISHER, "", Duration.ofDays(1));
    }
}
