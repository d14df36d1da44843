package io.signalbox.server.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The project JWT that authenticates a call to the REST API, sent in the {@code X-OPENTOK-AUTH}
 * header as OpenTok's REST API expects: HS256 under the API secret, with claims {@code iss} (the API
 * key, as a string or, as JavaScript tooling writes it, a number), {@code ist} ({@code "project"}),
 * {@code iat}, {@code exp} and {@code jti}.
 *
 * <p>Verification refuses, each with its own message: a missing header, a value that is not a JWT, any
 * algorithm but HS256 ({@code alg none} included), another API key, a signature that does not match,
 * an {@code ist} other than {@code "project"}, a missing {@code iat}, {@code jti} or {@code exp}, an
 * expired JWT or one not yet valid ({@code nbf}), and a client token: one with a {@code session_id}
 * or the {@code session.connect} scope, which is signed with the same secret and would otherwise let
 * every client call the REST API.
 *
 * <p>Decisions beyond OpenTok's documents: expiry allows {@link #ALLOWED_CLOCK_SKEW} of leeway, as the
 * caller's clock is another machine's; no limit is put on the lifetime a caller chose, as OpenTok
 * tooling is seen minting JWTs for hours; and {@code jti} values are not remembered, so a JWT may be
 * replayed until it expires (a server cluster would need shared state to prevent it).
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class ProjectAuth {
    /** The name of the header that carries the project JWT. */
    public static final String HEADER = "X-OPENTOK-AUTH";
    /** The lifetime OpenTok's server SDKs give the JWTs of their REST calls. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(3);
    /** The longest lifetime a project JWT may be minted with. */
    public static final Duration MAX_TTL = Duration.ofDays(30);
    /** How far past its expiry a project JWT is still accepted, for clocks that differ between machines. */
    public static final Duration ALLOWED_CLOCK_SKEW = Validity.CLOCK_SKEW;

    private static final String SUBJECT = HEADER + " token";

    private final ApiCredentials credentials;
    private final Clock clock;
    private final RandomGenerator random;

    /**
     * Creates the minter and verifier of one project's REST authentication.
     *
     * @param credentials the project's API key and secret
     * @param clock       the time JWTs are minted at and checked against
     * @param random      the source of JWT ids; they need not be secret, only unique. It is called
     *                    from every thread that mints, so it must allow that: {@code SecureRandom} and
     *                    {@code Random} do, {@code SplittableRandom} does not
     */
    public ProjectAuth(ApiCredentials credentials, Clock clock, RandomGenerator random) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Mints a project JWT for the {@code X-OPENTOK-AUTH} header.
     *
     * @param ttl how long it is accepted: at least a second, at most {@link #MAX_TTL}; whole seconds
     *            count. OpenTok's SDKs use {@link #DEFAULT_TTL}.
     * @return the JWT
     * @throws IllegalArgumentException when the ttl is out of range
     */
    public String mint(Duration ttl) {
        Validity.requireTtl(ttl, MAX_TTL);
        Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(credentials.apiKey())
                .claim("ist", "project")
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plusSeconds(ttl.toSeconds())))
                .jwtID(Validity.randomUuid(random))
                .build();
        return Hs256Jwt.sign(credentials, claims);
    }

    /**
     * Verifies the value of an {@code X-OPENTOK-AUTH} header. Spaces around it are ignored.
     *
     * @param headerValue the header's value; null when the request had none
     * @throws TokenException when the request is not authenticated; the message says why, e.g.
     *         {@code "missing X-OPENTOK-AUTH header"}
     */
    public void verify(String headerValue) throws TokenException {
        if (headerValue == null || headerValue.isBlank()) {
            throw new TokenException("missing " + HEADER + " header");
        }
        Hs256Jwt.Claims claims = Hs256Jwt.verify(headerValue.strip(), credentials, SUBJECT);
        String ist = claims.requiredString("ist");
        if (!ist.equals("project")) {
            throw new TokenException(SUBJECT + " ist claim must be \"project\"; got \"" + ist + "\"");
        }
        if (claims.has("session_id") || Tokens.SCOPE.equals(claims.json().get("scope"))) {
            throw new TokenException(SUBJECT + " is a client token, not a project token");
        }
        claims.requiredTime("iat");
        if (!claims.has("jti")) {
            throw new TokenException(SUBJECT + " has no jti claim");
        }
        Validity.check(SUBJECT, claims.optionalTime("nbf"), claims.requiredTime("exp"), clock.instant());
    }
}
