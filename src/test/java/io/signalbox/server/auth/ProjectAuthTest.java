package io.signalbox.server.auth;

import static io.signalbox.server.auth.HandMade.KEY;
import static io.signalbox.server.auth.HandMade.OTHER_KEY;
import static io.signalbox.server.auth.HandMade.OTHER_SECRET;
import static io.signalbox.server.auth.HandMade.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** The project JWT of the REST API's {@code X-OPENTOK-AUTH} header. */
class ProjectAuthTest {
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

    private final StepClock clock = new StepClock(START);
    private final ProjectAuth auth = new ProjectAuth(ApiCredentials.of(KEY, SECRET), clock, new Random(5));
    private final long now = START.getEpochSecond();

    /** The claims OpenTok's SDKs write, as JSON, with {@code extra} members added at the end. */
    private String claims(String extra) {
        return "{\"iss\":\"" + KEY + "\",\"ist\":\"project\",\"iat\":" + now + ",\"exp\":" + (now + 180)
                + ",\"jti\":\"jwt_nonce\"" + extra + "}";
    }

    private void assertRefused(String headerValue, String message) {
        assertThatThrownBy(() -> auth.verify(headerValue))
                .isInstanceOf(TokenException.class)
                .hasMessage(message);
    }

    @Test
    @DisplayName("a minted project JWT is accepted")
    void roundTrip() {
        String jwt = auth.mint(ProjectAuth.DEFAULT_TTL);

        assertThatCode(() -> auth.verify(jwt)).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("a minted project JWT is HS256 with iss, ist, iat, exp and a UUID jti")
    void mintedClaims() {
        clock.set(START.plusMillis(700));
        String jwt = auth.mint(Duration.ofMinutes(3));

        assertThat(HandMade.headerOf(jwt)).containsEntry("alg", "HS256");
        Map<String, Object> payload = HandMade.payloadOf(jwt);
        assertThat(payload).containsOnlyKeys("iss", "ist", "iat", "exp", "jti")
                .containsEntry("iss", KEY)
                .containsEntry("ist", "project")
                .containsEntry("iat", (int) now)
                .containsEntry("exp", (int) now + 180);
        assertThat(UUID.fromString((String) payload.get("jti")).version()).isEqualTo(4);
        assertThat(auth.mint(Duration.ofMinutes(3))).isNotEqualTo(jwt);
    }

    @Test
    @DisplayName("a JWT built with Nimbus the way OpenTok's Java SDK builds it is accepted")
    void openTokJavaSdkJwt() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(KEY)
                .claim("ist", "project")
                .jwtID(UUID.randomUUID().toString())
                .expirationTime(Date.from(START.plusSeconds(180)))
                .issueTime(Date.from(START))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));

        assertThatCode(() -> auth.verify(jwt.serialize())).doesNotThrowAnyException();
    }

    @Test
    @DisplayName("a JWT signed by hand with a numeric iss, as JavaScript tooling writes it, is accepted")
    void numericIssuer() {
        String payload = claims("").replace("\"iss\":\"" + KEY + "\"", "\"iss\":" + KEY);

        assertThatCode(() -> auth.verify(HandMade.jwt(payload, SECRET))).doesNotThrowAnyException();
    }

    @ParameterizedTest(name = "\"{0}\"")
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t"})
    @DisplayName("a missing or blank header is refused as missing")
    void missing(String headerValue) {
        assertRefused(headerValue, "missing X-OPENTOK-AUTH header");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"hello", "a.b.c", "Bearer x", "T1==abc"})
    @DisplayName("a header that is not a JWT is refused as such")
    void notAJwt(String headerValue) {
        assertRefused(headerValue, "X-OPENTOK-AUTH token is not a JWT");
    }

    @Test
    @DisplayName("a JWT with a control character around it, or a character outside base64url in it, is refused")
    void notWrittenAsAJwt() {
        String jwt = auth.mint(ProjectAuth.DEFAULT_TTL);
        int signature = jwt.lastIndexOf('.') + 1;

        assertRefused("\u0000" + jwt, "X-OPENTOK-AUTH token is not a JWT");
        assertRefused(jwt + "\u0001", "X-OPENTOK-AUTH token is not a JWT");
        assertRefused(jwt.substring(0, signature) + "*" + jwt.substring(signature), "X-OPENTOK-AUTH token is not a JWT");
    }

    @Test
    @DisplayName("an unsigned JWT (alg none) is refused")
    void algNone() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String jwt = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims("").getBytes(StandardCharsets.UTF_8)) + ".";

        assertRefused(jwt, "X-OPENTOK-AUTH token is unsigned (alg none); only HS256 is accepted");
    }

    @Test
    @DisplayName("a JWT signed with another algorithm, even with our secret, is refused")
    void otherAlgorithm() {
        assertRefused(HandMade.jwt("{\"alg\":\"HS384\"}", claims(""), SECRET, "HmacSHA384"),
                "X-OPENTOK-AUTH token uses alg HS384; only HS256 is accepted");
    }

    @Test
    @DisplayName("a JWT signed with another secret is refused as forged")
    void forged() {
        assertRefused(HandMade.jwt(claims(""), OTHER_SECRET), "X-OPENTOK-AUTH token signature does not match");
    }

    @Test
    @DisplayName("a JWT of another API key is refused")
    void otherKey() {
        String payload = claims("").replace("\"iss\":\"" + KEY + "\"", "\"iss\":\"" + OTHER_KEY + "\"");

        assertRefused(HandMade.jwt(payload, OTHER_SECRET), "X-OPENTOK-AUTH token is for another API key");
        assertRefused(HandMade.jwt(payload, SECRET), "X-OPENTOK-AUTH token is for another API key");
    }

    @Test
    @DisplayName("an account JWT, or one without ist, is refused")
    void ist() {
        assertRefused(HandMade.jwt(claims("").replace("\"ist\":\"project\"", "\"ist\":\"account\""), SECRET),
                "X-OPENTOK-AUTH token ist claim must be \"project\"; got \"account\"");
        assertRefused(HandMade.jwt(claims("").replace("\"ist\":\"project\",", ""), SECRET),
                "X-OPENTOK-AUTH token has no ist claim");
    }

    @Test
    @DisplayName("a JWT without iat, jti, exp or iss says which claim is missing")
    void missingClaims() {
        assertRefused(HandMade.jwt(claims("").replace("\"iat\":" + now + ",", ""), SECRET),
                "X-OPENTOK-AUTH token has no iat claim");
        assertRefused(HandMade.jwt(claims("").replace(",\"jti\":\"jwt_nonce\"", ""), SECRET),
                "X-OPENTOK-AUTH token has no jti claim");
        assertRefused(HandMade.jwt(claims("").replace("\"exp\":" + (now + 180) + ",", ""), SECRET),
                "X-OPENTOK-AUTH token has no exp claim");
        assertRefused(HandMade.jwt(claims("").replace("\"iss\":\"" + KEY + "\",", ""), SECRET),
                "X-OPENTOK-AUTH token has no iss claim");
    }

    @Test
    @DisplayName("a project JWT is accepted until 5 s past its exp, by the injected clock, and refused from then on")
    void expiry() {
        String jwt = auth.mint(Duration.ofMinutes(3));

        clock.step(Duration.ofMinutes(3).plusSeconds(4));
        assertThatCode(() -> auth.verify(jwt)).doesNotThrowAnyException();

        clock.step(Duration.ofSeconds(1));
        assertRefused(jwt, "X-OPENTOK-AUTH token expired at 2026-11-26T10:03:00Z");
    }

    @Test
    @DisplayName("a JWT whose nbf is ahead of the clock is refused")
    void notBefore() {
        assertRefused(HandMade.jwt(claims(",\"nbf\":" + (now + 60)), SECRET),
                "X-OPENTOK-AUTH token is not valid before 2026-11-26T10:01:00Z");
    }

    @Test
    @DisplayName("a client token, signed with the same secret, does not authenticate the REST API")
    void clientTokenRefused() {
        Tokens tokens = new Tokens(ApiCredentials.of(KEY, SECRET), clock, new Random(1));
        String clientJwt = tokens.mintJwt(SessionIds.create(KEY, START, new Random(1)), Role.MODERATOR, "",
                Duration.ofHours(1));

        assertRefused(clientJwt, "X-OPENTOK-AUTH token is a client token, not a project token");
        assertRefused(HandMade.jwt(claims(",\"scope\":\"session.connect\""), SECRET),
                "X-OPENTOK-AUTH token is a client token, not a project token");
        assertRefused(HandMade.jwt(claims(",\"session_id\":\"1_abc\""), SECRET),
                "X-OPENTOK-AUTH token is a client token, not a project token");
    }

    @Test
    @DisplayName("minting refuses a ttl that is not positive, below a second or over 30 days")
    void mintTtl() {
        assertThatThrownBy(() -> auth.mint(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("ttl must be positive; got PT0S");
        assertThatThrownBy(() -> auth.mint(Duration.ofSeconds(-1))).hasMessage("ttl must be positive; got PT-1S");
        assertThatThrownBy(() -> auth.mint(Duration.ofMillis(500))).hasMessage("ttl must be at least 1 second; got PT0.5S");
        assertThatThrownBy(() -> auth.mint(Duration.ofDays(30).plusSeconds(1)))
                .hasMessage("ttl must be at most 30 days; got PT720H1S");
        assertThatThrownBy(() -> auth.mint(null)).hasMessage("ttl is missing");
        assertThatCode(() -> auth.verify(auth.mint(ProjectAuth.MAX_TTL))).doesNotThrowAnyException();
    }
}
