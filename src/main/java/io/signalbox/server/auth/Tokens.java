package io.signalbox.server.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import io.signalbox.protocol.Limits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Client tokens: what a client presents to join a session. Both of OpenTok's forms are minted and
 * accepted, so tokens minted by OpenTok's server SDKs with the same credentials work here:
 *
 * <ul>
 *   <li>the JWT form: HS256 under the API secret, with claims {@code iss} (the API key), {@code ist}
 *       ({@code "project"}), {@code iat}, {@code exp}, {@code jti}, {@code session_id}, {@code role},
 *       {@code scope} ({@code "session.connect"}) and optionally {@code connection_data} and
 *       {@code initial_layout_class_list};</li>
 *   <li>the legacy form: {@code "T1=="} and the base64 of {@code partner_id}, an HMAC-SHA1 signature
 *       and a query string of the same facts.</li>
 * </ul>
 *
 * <p>Verification refuses, each with its own message: a token that is neither form, a JWT not signed
 * with HS256 ({@code alg none} included), a token of another API key, a signature that does not match,
 * a JWT whose {@code ist} is not {@code "project"} or whose {@code scope} is not
 * {@code "session.connect"}, a token for another session or for a session id not of this API key, an
 * expired token or one not yet valid ({@code nbf}), an unknown role, and connection data over 1000
 * characters. A role that is absent means {@link Role#PUBLISHER}, and a legacy token without
 * {@code expire_time} expires 24 hours after its {@code create_time}, both as in OpenTok.
 *
 * <p>Decisions beyond OpenTok's documents: expiry allows {@link #ALLOWED_CLOCK_SKEW} of leeway, for
 * tokens minted on another machine; {@code jti} is not required of a client JWT (OpenTok's SDKs write a
 * {@code nonce} instead in some versions) and tokens are not remembered, so a token may join many times
 * until it expires, as in OpenTok; a token is checked only when joining, so one that expires later does
 * not end the connection.
 *
 * <p>Instances are immutable and safe to share between threads.
 */
public final class Tokens {
    /** The lifetime OpenTok gives a token when none is asked for. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    /** The longest lifetime a token may be minted with, as in OpenTok. */
    public static final Duration MAX_TTL = Duration.ofDays(30);
    /** How far past its expiry a token is still accepted, for clocks that differ between machines. */
    public static final Duration ALLOWED_CLOCK_SKEW = Validity.CLOCK_SKEW;

    static final String SCOPE = "session.connect";
    private static final String SUBJECT = "token";

    private final ApiCredentials credentials;
    private final Clock clock;
    private final RandomGenerator random;

    /**
     * Creates the minter and verifier of one project's tokens.
     *
     * @param credentials the project's API key and secret
     * @param clock       the time tokens are minted at and checked against
     * @param random      the source of nonces and JWT ids; they need not be secret, only unique. It is
     *                    called from every thread that mints, so it must allow that: {@code SecureRandom}
     *                    and {@code Random} do, {@code SplittableRandom} does not
     */
    public Tokens(ApiCredentials credentials, Clock clock, RandomGenerator random) {
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Mints a token in the JWT form.
     *
     * @param sessionId      a session id of this project's API key
     * @param role           what the holder may do
     * @param connectionData data shown to others about this connection; null or empty for none; at
     *                       most 1000 characters
     * @param ttl            how long the token may be used to join: at least a second, at most
     *                       {@link #MAX_TTL}; whole seconds count
     * @return the token
     * @throws IllegalArgumentException when the session id is not of this API key, the role is
     *         missing, the connection data is too long or the ttl is out of range
     */
    public String mintJwt(String sessionId, Role role, String connectionData, Duration ttl) {
        TokenGrant grant = grantFor(sessionId, role, connectionData, ttl);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(credentials.apiKey())
                .claim("ist", "project")
                .issueTime(Date.from(grant.issuedAt()))
                .expirationTime(Date.from(grant.expiresAt()))
                .jwtID(Validity.randomUuid(random))
                .claim("session_id", grant.sessionId())
                .claim("role", grant.role().wireName())
                .claim("scope", SCOPE);
        if (!grant.connectionData().isEmpty()) {
            claims.claim("connection_data", grant.connectionData());
        }
        return Hs256Jwt.sign(credentials, claims.build());
    }

    /**
     * Mints a token in OpenTok's legacy {@code T1==} form, as OpenTok's Java SDK does (standard base64).
     *
     * @param sessionId      a session id of this project's API key
     * @param role           what the holder may do
     * @param connectionData data shown to others about this connection; null or empty for none; at
     *                       most 1000 characters
     * @param ttl            how long the token may be used to join: at least a second, at most
     *                       {@link #MAX_TTL}; whole seconds count
     * @return the token
     * @throws IllegalArgumentException as for {@link #mintJwt}
     */
    public String mintLegacy(String sessionId, Role role, String connectionData, Duration ttl) {
        TokenGrant grant = grantFor(sessionId, role, connectionData, ttl);
        // Below 2^53, so that JavaScript tooling reads the nonce as the number it is.
        long nonce = random.nextLong(1L << 53);
        return LegacyToken.encode(credentials, grant.sessionId(), grant.role(), grant.connectionData(),
                grant.issuedAt(), grant.expiresAt(), nonce);
    }

    /**
     * Verifies a token of either form for a join to {@code sessionId}. Spaces around the token are
     * ignored, as tokens are often pasted.
     *
     * @param token     the token the client presented
     * @param sessionId the session it asks to join
     * @return what the token grants
     * @throws TokenException when the token is refused; the message says why
     */
    public TokenGrant verify(String token, String sessionId) throws TokenException {
        Objects.requireNonNull(sessionId, "sessionId");
        if (token == null || token.isBlank()) throw new TokenException("missing token");
        String trimmed = token.strip();
        TokenFields fields;
        Instant notBefore = null;
        if (trimmed.startsWith(LegacyToken.PREFIX)) {
            fields = LegacyToken.decode(trimmed, credentials);
        } else if (trimmed.startsWith("eyJ") && trimmed.indexOf('.') > 0) {
            // "eyJ" is the base64 of '{"', how every JWT header begins.
            Hs256Jwt.Claims claims = Hs256Jwt.verify(trimmed, credentials, SUBJECT);
            fields = readJwt(claims);
            notBefore = claims.optionalTime("nbf");
        } else {
            throw new TokenException("token is not a Signalbox or OpenTok token");
        }
        return check(fields, notBefore, sessionId);
    }

    /** The claims of a client JWT whose signature is verified, in the shape both forms share. */
    private static TokenFields readJwt(Hs256Jwt.Claims claims) throws TokenException {
        String ist = claims.requiredString("ist");
        if (!ist.equals("project")) {
            throw new TokenException("token ist claim must be \"project\"; got \"" + ist + "\"");
        }
        String scope = claims.requiredString("scope");
        if (!scope.equals(SCOPE)) {
            throw new TokenException("token scope must be " + SCOPE + "; got \"" + scope + "\"");
        }
        // initial_layout_class_list is accepted whatever it holds: it only matters to video layouts.
        return new TokenFields(
                claims.requiredString("session_id"),
                claims.optionalString("role"),
                claims.optionalString("connection_data"),
                claims.requiredTime("iat"),
                claims.requiredTime("exp"));
    }

    /** The checks both forms share, once the signature is verified. */
    private TokenGrant check(TokenFields fields, Instant notBefore, String sessionId) throws TokenException {
        if (!fields.sessionId().equals(sessionId)) {
            throw new TokenException("token is for another session");
        }
        if (!SessionIds.belongsTo(sessionId, credentials.apiKey())) {
            throw new TokenException("token is for a session id that is not of this API key");
        }
        Validity.check(SUBJECT, notBefore, fields.expiresAt(), clock.instant());
        Role role;
        try {
            role = fields.role() == null ? Role.PUBLISHER : Role.fromWire(fields.role());
        } catch (IllegalArgumentException unknown) {
            throw new TokenException("token has an " + unknown.getMessage());
        }
        String data = fields.connectionData();
        if (data != null && data.length() > Limits.MAX_CONNECTION_DATA_LENGTH) {
            throw new TokenException("token connection data is longer than "
                    + Limits.MAX_CONNECTION_DATA_LENGTH + " characters (" + data.length() + ")");
        }
        return new TokenGrant(fields.sessionId(), role, data, fields.issuedAt(), fields.expiresAt());
    }

    /** Checks what a token is minted with, and fixes its times to whole seconds from now. */
    private TokenGrant grantFor(String sessionId, Role role, String connectionData, Duration ttl) {
        if (!SessionIds.belongsTo(sessionId, credentials.apiKey())) {
            throw new IllegalArgumentException("session id \"" + sessionId + "\" is not a session of API key "
                    + credentials.apiKey());
        }
        if (role == null) throw new IllegalArgumentException("role is missing");
        if (connectionData != null && connectionData.length() > Limits.MAX_CONNECTION_DATA_LENGTH) {
            throw new IllegalArgumentException("connection data must be at most "
                    + Limits.MAX_CONNECTION_DATA_LENGTH + " characters; got " + connectionData.length());
        }
        Validity.requireTtl(ttl, MAX_TTL);
        Instant issuedAt = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        return new TokenGrant(sessionId, role, connectionData, issuedAt, issuedAt.plusSeconds(ttl.toSeconds()));
    }
}
