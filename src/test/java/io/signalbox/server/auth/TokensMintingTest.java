package io.signalbox.server.auth;

import static io.signalbox.server.auth.HandMade.KEY;
import static io.signalbox.server.auth.HandMade.OTHER_KEY;
import static io.signalbox.server.auth.HandMade.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What both token forms refuse to be minted with, and the limits they accept. */
class TokensMintingTest {
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

    /** One of the two ways to mint. */
    interface Minter {
        String mint(Tokens tokens, String sessionId, Role role, String data, Duration ttl);
    }

    static Stream<Named<Minter>> minters() {
        return Stream.of(Named.of("JWT", Tokens::mintJwt), Named.of("legacy", Tokens::mintLegacy));
    }

    private final StepClock clock = new StepClock(START);
    private final Tokens tokens = new Tokens(ApiCredentials.of(KEY, SECRET), clock, new Random(3));
    private final String session = SessionIds.create(KEY, START, new Random(1));

    @ParameterizedTest
    @MethodSource("minters")
    @DisplayName("connection data over 1000 characters is refused; exactly 1000 round-trips")
    void dataLimit(Minter minter) throws TokenException {
        assertThatThrownBy(() -> minter.mint(tokens, session, Role.PUBLISHER, "x".repeat(1001), Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connection data must be at most 1000 characters; got 1001");

        String token = minter.mint(tokens, session, Role.PUBLISHER, "é".repeat(1000), Duration.ofHours(1));
        assertThat(tokens.verify(token, session).connectionData()).isEqualTo("é".repeat(1000));
    }

    @ParameterizedTest
    @MethodSource("minters")
    @DisplayName("a ttl that is not positive, below a second or over 30 days is refused; 30 days is accepted")
    void ttlLimits(Minter minter) throws TokenException {
        assertThatThrownBy(() -> minter.mint(tokens, session, Role.PUBLISHER, "", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ttl must be positive; got PT0S");
        assertThatThrownBy(() -> minter.mint(tokens, session, Role.PUBLISHER, "", Duration.ofMinutes(-5)))
                .hasMessage("ttl must be positive; got PT-5M");
        assertThatThrownBy(() -> minter.mint(tokens, session, Role.PUBLISHER, "", Duration.ofMillis(999)))
                .hasMessage("ttl must be at least 1 second; got PT0.999S");
        assertThatThrownBy(() -> minter.mint(tokens, session, Role.PUBLISHER, "", Tokens.MAX_TTL.plusSeconds(1)))
                .hasMessage("ttl must be at most 30 days; got PT720H1S");
        assertThatThrownBy(() -> minter.mint(tokens, session, Role.PUBLISHER, "", null)).hasMessage("ttl is missing");

        String longest = minter.mint(tokens, session, Role.PUBLISHER, "", Tokens.MAX_TTL);
        assertThat(tokens.verify(longest, session).expiresAt()).isEqualTo(START.plus(Duration.ofDays(30)));
    }

    @ParameterizedTest
    @MethodSource("minters")
    @DisplayName("a session id of another API key, or not a session id at all, is refused")
    void sessionOfOtherKey(Minter minter) {
        String foreign = SessionIds.create(OTHER_KEY, START, new Random(1));

        assertThatThrownBy(() -> minter.mint(tokens, foreign, Role.PUBLISHER, "", Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("session id \"" + foreign + "\" is not a session of API key " + KEY);
        assertThatThrownBy(() -> minter.mint(tokens, "nonsense", Role.PUBLISHER, "", Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> minter.mint(tokens, null, Role.PUBLISHER, "", Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @MethodSource("minters")
    @DisplayName("a missing role is refused")
    void missingRole(Minter minter) {
        assertThatThrownBy(() -> minter.mint(tokens, session, null, "", Duration.ofHours(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("role is missing");
    }

    @ParameterizedTest
    @MethodSource("minters")
    @DisplayName("times are whole seconds: a token minted mid-second is issued at the second's start")
    void wholeSeconds(Minter minter) throws TokenException {
        clock.set(START.plusMillis(999));

        TokenGrant grant = tokens.verify(minter.mint(tokens, session, Role.PUBLISHER, "", Duration.ofSeconds(90)), session);

        assertThat(grant.issuedAt()).isEqualTo(START);
        assertThat(grant.expiresAt()).isEqualTo(START.plusSeconds(90));
    }
}
