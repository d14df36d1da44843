package io.signalbox.server.auth;

import static io.signalbox.server.auth.HandMade.KEY;
import static io.signalbox.server.auth.HandMade.OTHER_KEY;
import static io.signalbox.server.auth.HandMade.OTHER_SECRET;
import static io.signalbox.server.auth.HandMade.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEObjectType;
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
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Client tokens in the JWT form. */
class TokensJwtTest {
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");

    private final StepClock clock = new StepClock(START);
    private final Tokens tokens = new Tokens(ApiCredentials.of(KEY, SECRET), clock, new Random(11));
    private final String session = SessionIds.create(KEY, START, new Random(1));
    private final String otherSession = SessionIds.create(KEY, START, new Random(2));
    private final long now = START.getEpochSecond();

    /** The claims OpenTok's SDKs write, as JSON, with {@code extra} members added at the end. */
    private String claims(String extra) {
        return "{\"iss\":\"" + KEY + "\",\"ist\":\"project\",\"iat\":" + now + ",\"exp\":" + (now + 3600)
                + ",\"nonce\":0.4711,\"scope\":\"session.connect\",\"session_id\":\"" + session + "\"" + extra + "}";
    }

    @Test
    @DisplayName("a minted JWT verifies to what it was minted with")
    void roundTrip() throws TokenException {
        String token = tokens.mintJwt(session, Role.MODERATOR, "name=Zoë & co \"quoted\"", Duration.ofHours(2));

        TokenGrant grant = tokens.verify(token, session);

        assertThat(grant).isEqualTo(new TokenGrant(session, Role.MODERATOR, "name=Zoë & co \"quoted\"",
                START, START.plus(Duration.ofHours(2))));
    }

    @Test
    @DisplayName("every role survives the round trip, and no connection data comes back empty")
    void rolesRoundTrip() throws TokenException {
        for (Role role : Role.values()) {
            TokenGrant grant = tokens.verify(tokens.mintJwt(session, role, null, Tokens.DEFAULT_TTL), session);
            assertThat(grant.role()).isEqualTo(role);
            assertThat(grant.connectionData()).isEmpty();
        }
    }

    @Test
    @DisplayName("a minted JWT is HS256 with OpenTok's claims, and its signature checks out by hand")
    void mintedClaims() {
        clock.set(START.plusMillis(900));
        String token = tokens.mintJwt(session, Role.SUBSCRIBER, "data", Duration.ofMinutes(10));

        assertThat(HandMade.headerOf(token)).containsEntry("alg", "HS256").containsEntry("typ", "JWT");
        Map<String, Object> payload = HandMade.payloadOf(token);
        assertThat(payload)
                .containsEntry("iss", KEY)
                .containsEntry("ist", "project")
                .containsEntry("iat", (int) now)
                .containsEntry("exp", (int) now + 600)
                .containsEntry("session_id", session)
                .containsEntry("role", "subscriber")
                .containsEntry("scope", "session.connect")
                .containsEntry("connection_data", "data");
        assertThat((String) payload.get("jti")).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        String signingInput = token.substring(0, token.lastIndexOf('.'));
        byte[] expected = HandMade.mac("HmacSHA256", SECRET, signingInput.getBytes(StandardCharsets.US_ASCII));
        assertThat(Base64.getUrlDecoder().decode(token.substring(token.lastIndexOf('.') + 1))).isEqualTo(expected);
    }

    @Test
    @DisplayName("a JWT built with Nimbus the way OpenTok's SDKs build it is accepted")
    void openTokSdkJwt() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(KEY)
                .claim("ist", "project")
                .issueTime(Date.from(START))
                .expirationTime(Date.from(START.plus(Duration.ofDays(1))))
                .claim("nonce", 123456)
                .claim("role", "moderator")
                .claim("scope", "session.connect")
                .claim("session_id", session)
                .claim("connection_data", "{\"name\":\"Ann\"}")
                .claim("initial_layout_class_list", "focus full")
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));

        TokenGrant grant = tokens.verify(jwt.serialize(), session);

        assertThat(grant).isEqualTo(new TokenGrant(session, Role.MODERATOR, "{\"name\":\"Ann\"}",
                START, START.plus(Duration.ofDays(1))));
    }

    @Test
    @DisplayName("a JWT signed by hand with a numeric iss, as JavaScript tooling writes it, is accepted")
    void numericIssuer() throws TokenException {
        String payload = claims(",\"role\":\"publisher\"").replace("\"iss\":\"" + KEY + "\"", "\"iss\":" + KEY);
        assertThat(payload).contains("\"iss\":12345678,");

        assertThat(tokens.verify(HandMade.jwt(payload, SECRET), session).role()).isEqualTo(Role.PUBLISHER);
    }

    @Test
    @DisplayName("a JWT without a role grants publisher, and one without connection data grants none")
    void defaults() throws TokenException {
        TokenGrant grant = tokens.verify(HandMade.jwt(claims(""), SECRET), session);

        assertThat(grant.role()).isEqualTo(Role.PUBLISHER);
        assertThat(grant.connectionData()).isEmpty();
        assertThat(grant.issuedAt()).isEqualTo(START);
        assertThat(grant.expiresAt()).isEqualTo(START.plusSeconds(3600));
    }

    @Test
    @DisplayName("a JWT is accepted until 5 s past its expiry, by the injected clock, and refused from then on")
    void expiry() throws TokenException {
        String token = tokens.mintJwt(session, Role.PUBLISHER, "", Duration.ofHours(1));

        clock.step(Duration.ofHours(1).plusSeconds(4).plusMillis(999));
        assertThat(tokens.verify(token, session).role()).isEqualTo(Role.PUBLISHER);

        clock.step(Duration.ofMillis(1));
        assertThatThrownBy(() -> tokens.verify(token, session))
                .isInstanceOf(TokenException.class)
                .hasMessage("token expired at 2026-11-26T11:00:00Z");
    }

    @Test
    @DisplayName("a JWT whose nbf is ahead of the clock is refused")
    void notBefore() {
        String token = HandMade.jwt(claims(",\"nbf\":" + (now + 60)), SECRET);

        assertThatThrownBy(() -> tokens.verify(token, session))
                .isInstanceOf(TokenException.class)
                .hasMessage("token is not valid before 2026-11-26T10:01:00Z");
    }

    @Test
    @DisplayName("a JWT signed with another secret is refused as forged")
    void forged() {
        String token = HandMade.jwt(claims(""), OTHER_SECRET);

        assertThatThrownBy(() -> tokens.verify(token, session))
                .isInstanceOf(TokenException.class)
                .hasMessage("token signature does not match");
    }

    @Test
    @DisplayName("a minted JWT whose payload was changed is refused as forged")
    void tampered() {
        String token = tokens.mintJwt(session, Role.SUBSCRIBER, "", Duration.ofHours(1));
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"subscriber\"", "\"moderator\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertThatThrownBy(() -> tokens.verify(forged, session)).hasMessage("token signature does not match");
    }

    @Test
    @DisplayName("a JWT for another session is refused")
    void otherSession() {
        String token = tokens.mintJwt(session, Role.PUBLISHER, "", Duration.ofHours(1));

        assertThatThrownBy(() -> tokens.verify(token, otherSession))
                .isInstanceOf(TokenException.class)
                .hasMessage("token is for another session");
    }

    @Test
    @DisplayName("a JWT of another API key is refused, even when signed with our secret")
    void otherKey() {
        String token = HandMade.jwt(claims("").replace("\"iss\":\"" + KEY + "\"", "\"iss\":\"" + OTHER_KEY + "\""),
                SECRET);

        assertThatThrownBy(() -> tokens.verify(token, session)).hasMessage("token is for another API key");
    }

    @Test
    @DisplayName("a JWT for a session id of another API key is refused")
    void sessionOfOtherKey() {
        String foreign = SessionIds.create(OTHER_KEY, START, new Random(4));
        String token = HandMade.jwt(claims("").replace(session, foreign), SECRET);

        assertThatThrownBy(() -> tokens.verify(token, foreign))
                .hasMessage("token is for a session id that is not of this API key");
    }

    @Test
    @DisplayName("an unsigned JWT (alg none) is refused")
    void algNone() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String token = b64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims("").getBytes(StandardCharsets.UTF_8)) + ".";

        assertThatThrownBy(() -> tokens.verify(token, session))
                .isInstanceOf(TokenException.class)
                .hasMessage("token is unsigned (alg none); only HS256 is accepted");
    }

    @Test
    @DisplayName("a JWT signed with another algorithm, even with our secret, is refused")
    void otherAlgorithm() {
        String token = HandMade.jwt("{\"alg\":\"HS512\"}", claims(""), SECRET, "HmacSHA512");

        assertThatThrownBy(() -> tokens.verify(token, session))
                .hasMessage("token uses alg HS512; only HS256 is accepted");
    }

    @Test
    @DisplayName("a JWT with another scope, or none, is refused")
    void scope() {
        String otherScope = HandMade.jwt(claims("").replace("session.connect", "session.create"), SECRET);
        String noScope = HandMade.jwt(claims("").replace("\"scope\":\"session.connect\",", ""), SECRET);

        assertThatThrownBy(() -> tokens.verify(otherScope, session))
                .hasMessage("token scope must be session.connect; got \"session.create\"");
        assertThatThrownBy(() -> tokens.verify(noScope, session)).hasMessage("token has no scope claim");
    }

    @Test
    @DisplayName("a project JWT of the REST API is not a client token")
    void projectJwtIsNotAClientToken() {
        String projectJwt = new ProjectAuth(ApiCredentials.of(KEY, SECRET), clock, new Random(1)).mint(Duration.ofMinutes(3));

        assertThatThrownBy(() -> tokens.verify(projectJwt, session)).hasMessage("token has no scope claim");
    }

    @Test
    @DisplayName("a JWT whose ist is not project is refused")
    void ist() {
        String token = HandMade.jwt(claims("").replace("\"ist\":\"project\"", "\"ist\":\"account\""), SECRET);

        assertThatThrownBy(() -> tokens.verify(token, session))
                .hasMessage("token ist claim must be \"project\"; got \"account\"");
    }

    @Test
    @DisplayName("a JWT with an unknown role is refused, listing the valid ones")
    void unknownRole() {
        String token = HandMade.jwt(claims(",\"role\":\"admin\""), SECRET);

        assertThatThrownBy(() -> tokens.verify(token, session))
                .isInstanceOf(TokenException.class)
                .hasMessage("token has an unknown role \"admin\"; valid roles are publisher, subscriber, moderator,"
                        + " publisheronly");
    }

    @Test
    @DisplayName("a JWT with connection data over 1000 characters is refused; 1000 is accepted")
    void dataTooLong() throws TokenException {
        String tooLong = HandMade.jwt(claims(",\"connection_data\":\"" + "x".repeat(1001) + "\""), SECRET);
        String longest = HandMade.jwt(claims(",\"connection_data\":\"" + "x".repeat(1000) + "\""), SECRET);

        assertThatThrownBy(() -> tokens.verify(tooLong, session))
                .hasMessage("token connection data is longer than 1000 characters (1001)");
        assertThat(tokens.verify(longest, session).connectionData()).hasSize(1000);
    }

    @Test
    @DisplayName("a JWT missing a required claim, or with one of the wrong type, says which")
    void claimShapes() {
        assertThatThrownBy(() -> tokens.verify(HandMade.jwt(claims("").replace("\"exp\":" + (now + 3600) + ",", ""),
                SECRET), session)).hasMessage("token has no exp claim");
        assertThatThrownBy(() -> tokens.verify(HandMade.jwt(claims("").replace("\"iat\":" + now + ",", ""),
                SECRET), session)).hasMessage("token has no iat claim");
        assertThatThrownBy(() -> tokens.verify(HandMade.jwt(claims("").replace("\"iss\":\"" + KEY + "\",", ""),
                SECRET), session)).hasMessage("token has no iss claim");
        assertThatThrownBy(() -> tokens.verify(HandMade.jwt(claims("").replace("\"exp\":" + (now + 3600), "\"exp\":\"soon\""),
                SECRET), session)).hasMessage("token claim exp is not a time in epoch seconds");
        assertThatThrownBy(() -> tokens.verify(HandMade.jwt(claims(",\"role\":5"), SECRET), session))
                .hasMessage("token claim role is not a string");
    }

    @Test
    @DisplayName("text that is neither token form is refused as not a token, and a blank one as missing")
    void notAToken() {
        assertThatThrownBy(() -> tokens.verify("hello", session))
                .isInstanceOf(TokenException.class)
                .hasMessage("token is not a Signalbox or OpenTok token");
        assertThatThrownBy(() -> tokens.verify("a.b.c", session)).hasMessage("token is not a Signalbox or OpenTok token");
        assertThatThrownBy(() -> tokens.verify("eyJhbGciOi.broken.x", session)).hasMessage("token is not a JWT");
        assertThatThrownBy(() -> tokens.verify(null, session)).hasMessage("missing token");
        assertThatThrownBy(() -> tokens.verify(" \n", session)).hasMessage("missing token");
    }

    @Test
    @DisplayName("spaces around a pasted token are ignored")
    void pasted() throws TokenException {
        String token = tokens.mintJwt(session, Role.PUBLISHER, "", Duration.ofHours(1));

        assertThat(tokens.verify("  " + token + "\n", session).sessionId()).isEqualTo(session);
    }

    @Test
    @DisplayName("a JWT with a control character after it, or a character outside base64url in it, is refused")
    void notWrittenAsAJwt() {
        String token = tokens.mintJwt(session, Role.PUBLISHER, "", Duration.ofHours(1));
        int signature = token.lastIndexOf('.') + 1;

        assertThatThrownBy(() -> tokens.verify(token + "\u0000", session)).hasMessage("token is not a JWT");
        assertThatThrownBy(() -> tokens.verify(token + "\u0007", session)).hasMessage("token is not a JWT");
        assertThatThrownBy(() -> tokens.verify(token.substring(0, signature) + "!" + token.substring(signature), session))
                .hasMessage("token is not a JWT");
    }
}
