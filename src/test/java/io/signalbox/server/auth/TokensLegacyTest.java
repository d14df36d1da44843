package io.signalbox.server.auth;

import static io.signalbox.server.auth.HandMade.KEY;
import static io.signalbox.server.auth.HandMade.OTHER_KEY;
import static io.signalbox.server.auth.HandMade.OTHER_SECRET;
import static io.signalbox.server.auth.HandMade.SECRET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Client tokens in OpenTok's legacy {@code T1==} form. */
class TokensLegacyTest {
    private static final Instant START = Instant.parse("2026-11-26T10:00:00Z");
    private static final String DATA = "name=Zoë & co+1 100%";

    private final StepClock clock = new StepClock(START);
    private final Tokens tokens = new Tokens(ApiCredentials.of(KEY, SECRET), clock, new Random(11));
    private final String session = SessionIds.create(KEY, START, new Random(1));
    private final String otherSession = SessionIds.create(KEY, START, new Random(2));
    private final long now = START.getEpochSecond();

    @Test
    @DisplayName("a minted legacy token verifies to what it was minted with")
    void roundTrip() throws TokenException {
        String token = tokens.mintLegacy(session, Role.MODERATOR, DATA, Duration.ofHours(2));

        assertThat(tokens.verify(token, session))
                .isEqualTo(new TokenGrant(session, Role.MODERATOR, DATA, START, START.plus(Duration.ofHours(2))));
    }

    @Test
    @DisplayName("every role survives the round trip, and no connection data comes back empty")
    void rolesRoundTrip() throws TokenException {
        for (Role role : Role.values()) {
            TokenGrant grant = tokens.verify(tokens.mintLegacy(session, role, "", Tokens.DEFAULT_TTL), session);
            assertThat(grant.role()).isEqualTo(role);
            assertThat(grant.connectionData()).isEmpty();
        }
    }

    @Test
    @DisplayName("a minted legacy token is T1== and base64 of partner_id, the HMAC-SHA1 hex of the data, and the data")
    void mintedFormat() {
        String token = tokens.mintLegacy(session, Role.SUBSCRIBER, DATA, Duration.ofMinutes(10));

        assertThat(token).startsWith("T1==");
        String inner = new String(Base64.getDecoder().decode(token.substring(4)), StandardCharsets.UTF_8);
        assertThat(inner).matches("partner_id=12345678&sig=[0-9a-f]{40}:.*");
        String data = inner.substring(inner.indexOf(':') + 1);
        assertThat(data).matches("session_id=" + session + "&create_time=" + now + "&nonce=\\d+&role=subscriber"
                + "&expire_time=" + (now + 600) + "&connection_data=.*");
        String encodedData = data.substring(data.indexOf("&connection_data=") + "&connection_data=".length());
        assertThat(URLDecoder.decode(encodedData, StandardCharsets.UTF_8)).isEqualTo(DATA);
        assertThat(inner).contains("&sig=" + HandMade.macHex("HmacSHA1", SECRET, data) + ":");
    }

    @Test
    @DisplayName("a token built by hand as OpenTok's Java SDK does (URL-safe base64, raw layout list) is accepted")
    void javaSdkStyle() throws TokenException {
        String data = "session_id=" + session + "&create_time=" + now + "&nonce=-1289412347&role=moderator"
                + "&initial_layout_class_list=focus full&expire_time=" + (now + 86400)
                + "&connection_data=" + URLEncoder.encode(DATA, StandardCharsets.UTF_8);
        String inner = "partner_id=" + KEY + "&sig=" + HandMade.macHex("HmacSHA1", SECRET, data) + ":" + data;
        String token = "T1==" + Base64.getEncoder().encodeToString(inner.getBytes(StandardCharsets.UTF_8))
                .replace("+", "-").replace("/", "_");

        assertThat(tokens.verify(token, session))
                .isEqualTo(new TokenGrant(session, Role.MODERATOR, DATA, START, START.plusSeconds(86400)));
    }

    @Test
    @DisplayName("a token built by hand as OpenTok's Python SDK does (other order, + for spaces) is accepted")
    void pythonSdkStyle() throws TokenException {
        String data = "session_id=" + session + "&create_time=" + now + "&expire_time=" + (now + 600)
                + "&role=subscriber&nonce=581024&initial_layout_class_list="
                + "&connection_data=name%3DZo%C3%AB+%26+co%2B1+100%25";

        TokenGrant grant = tokens.verify(HandMade.legacy(KEY, SECRET, data), session);

        assertThat(grant).isEqualTo(new TokenGrant(session, Role.SUBSCRIBER, DATA, START, START.plusSeconds(600)));
    }

    @Test
    @DisplayName("a token built by hand as OpenTok's Node SDK does (%20 for spaces) is accepted")
    void nodeSdkStyle() throws TokenException {
        String data = "session_id=" + session + "&create_time=" + now + "&expire_time=" + (now + 600)
                + "&role=publisheronly&connection_data=name%3DZo%C3%AB%20%26%20co%2B1%20100%25&nonce=0.5372";

        TokenGrant grant = tokens.verify(HandMade.legacy(KEY, SECRET, data), session);

        assertThat(grant.role()).isEqualTo(Role.PUBLISHER_ONLY);
        assertThat(grant.connectionData()).isEqualTo(DATA);
    }

    @Test
    @DisplayName("a token without a role grants publisher")
    void defaultRole() throws TokenException {
        String data = "session_id=" + session + "&create_time=" + now + "&nonce=1&expire_time=" + (now + 600);

        assertThat(tokens.verify(HandMade.legacy(KEY, SECRET, data), session).role()).isEqualTo(Role.PUBLISHER);
    }

    @Test
    @DisplayName("the token's base64 is accepted standard or URL-safe, with or without padding")
    void base64Variants() throws TokenException {
        // URL-encoded data is ASCII without '>', '?' or '~', whose base64 never holds '+' or '/'; but
        // the Java SDK writes the layout class list raw, and "~~~???" there yields both.
        String data = IntStream.range(0, 3)
                .mapToObj(n -> "session_id=" + session + "&create_time=" + now + "&expire_time=" + (now + 600)
                        + "&initial_layout_class_list=a~~~b???c" + "x".repeat(n))
                .filter(d -> HandMade.legacy(KEY, SECRET, d).endsWith("="))
                .findFirst().orElseThrow();
        String standard = HandMade.legacy(KEY, SECRET, data);
        assertThat(standard.substring(4)).contains("+", "/").endsWith("=");
        String urlSafe = standard.replace('+', '-').replace('/', '_');
        String unpadded = standard.replaceAll("=+$", "");
        String urlSafeUnpadded = urlSafe.replaceAll("=+$", "");

        TokenGrant expected = new TokenGrant(session, Role.PUBLISHER, "", START, START.plusSeconds(600));
        assertThat(tokens.verify(standard, session)).isEqualTo(expected);
        assertThat(tokens.verify(urlSafe, session)).isEqualTo(expected);
        assertThat(tokens.verify(unpadded, session)).isEqualTo(expected);
        assertThat(tokens.verify(urlSafeUnpadded, session)).isEqualTo(expected);
    }

    @Test
    @DisplayName("a legacy token is accepted until 5 s past its expire_time, by the injected clock, and refused from then on")
    void expiry() throws TokenException {
        String token = tokens.mintLegacy(session, Role.PUBLISHER, "", Duration.ofHours(1));

        clock.step(Duration.ofHours(1).plusSeconds(4));
        assertThat(tokens.verify(token, session).role()).isEqualTo(Role.PUBLISHER);

        clock.step(Duration.ofSeconds(1));
        assertThatThrownBy(() -> tokens.verify(token, session))
                .isInstanceOf(TokenException.class)
                .hasMessage("token expired at 2026-11-26T11:00:00Z");
    }

    @Test
    @DisplayName("a token without expire_time expires 24 hours after its create_time, as in OpenTok")
    void defaultExpiry() throws TokenException {
        String token = HandMade.legacy(KEY, SECRET,
                "session_id=" + session + "&create_time=" + now + "&nonce=1&role=publisher");

        assertThat(tokens.verify(token, session).expiresAt()).isEqualTo(START.plus(Duration.ofHours(24)));
        clock.step(Duration.ofHours(24).plusSeconds(4));
        assertThat(tokens.verify(token, session).role()).isEqualTo(Role.PUBLISHER);
        clock.step(Duration.ofSeconds(1));
        assertThatThrownBy(() -> tokens.verify(token, session)).hasMessage("token expired at 2026-11-27T10:00:00Z");
    }

    @Test
    @DisplayName("a token signed with another secret is refused as forged")
    void forged() {
        String token = HandMade.legacy(KEY, OTHER_SECRET,
                "session_id=" + session + "&create_time=" + now + "&nonce=1&role=moderator&expire_time=" + (now + 60));

        assertThatThrownBy(() -> tokens.verify(token, session))
                .isInstanceOf(TokenException.class)
                .hasMessage("token signature does not match");
    }

    @Test
    @DisplayName("a minted token whose data was changed after signing is refused as forged")
    void tampered() {
        String inner = HandMade.legacyInner(tokens.mintLegacy(session, Role.SUBSCRIBER, "", Duration.ofHours(1)));
        String changed = inner.replace("role=subscriber", "role=moderator");
        assertThat(changed).isNotEqualTo(inner);
        String token = "T1==" + Base64.getEncoder().encodeToString(changed.getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> tokens.verify(token, session)).hasMessage("token signature does not match");
    }

    @Test
    @DisplayName("a token with a signature that is not hex, or none, is refused as forged")
    void badSignature() {
        String data = "session_id=" + session + "&create_time=" + now + "&expire_time=" + (now + 60);
        String notHex = "T1==" + Base64.getEncoder().encodeToString(
                ("partner_id=" + KEY + "&sig=zz:" + data).getBytes(StandardCharsets.UTF_8));
        String noSig = "T1==" + Base64.getEncoder().encodeToString(
                ("partner_id=" + KEY + ":" + data).getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> tokens.verify(notHex, session)).hasMessage("token signature does not match");
        assertThatThrownBy(() -> tokens.verify(noSig, session)).hasMessage("token signature does not match");
    }

    @Test
    @DisplayName("an uppercase hex signature is the same signature")
    void uppercaseSignature() throws TokenException {
        String data = "session_id=" + session + "&create_time=" + now + "&expire_time=" + (now + 60);
        String inner = "partner_id=" + KEY + "&sig=" + HandMade.macHex("HmacSHA1", SECRET, data).toUpperCase() + ":" + data;

        assertThat(tokens.verify("T1==" + Base64.getEncoder().encodeToString(inner.getBytes(StandardCharsets.UTF_8)),
                session).sessionId()).isEqualTo(session);
    }

    @Test
    @DisplayName("a legacy token for another session is refused")
    void otherSession() {
        String token = tokens.mintLegacy(session, Role.PUBLISHER, "", Duration.ofHours(1));

        assertThatThrownBy(() -> tokens.verify(token, otherSession))
                .isInstanceOf(TokenException.class)
                .hasMessage("token is for another session");
    }

    @Test
    @DisplayName("a legacy token of another partner_id is refused, even when signed with our secret")
    void otherKey() {
        String token = HandMade.legacy(OTHER_KEY, SECRET,
                "session_id=" + session + "&create_time=" + now + "&expire_time=" + (now + 60));

        assertThatThrownBy(() -> tokens.verify(token, session)).hasMessage("token is for another API key");
    }

    @Test
    @DisplayName("a legacy token for a session id of another API key is refused")
    void sessionOfOtherKey() {
        String foreign = SessionIds.create(OTHER_KEY, START, new Random(4));
        String token = HandMade.legacy(KEY, SECRET,
                "session_id=" + foreign + "&create_time=" + now + "&expire_time=" + (now + 60));

        assertThatThrownBy(() -> tokens.verify(token, foreign))
                .hasMessage("token is for a session id that is not of this API key");
    }

    @Test
    @DisplayName("a legacy token with an unknown role is refused, listing the valid ones")
    void unknownRole() {
        String token = HandMade.legacy(KEY, SECRET,
                "session_id=" + session + "&create_time=" + now + "&role=admin&expire_time=" + (now + 60));

        assertThatThrownBy(() -> tokens.verify(token, session))
                .hasMessage("token has an unknown role \"admin\"; valid roles are publisher, subscriber, moderator,"
                        + " publisheronly");
    }

    @Test
    @DisplayName("connection data over 1000 characters once URL-decoded is refused; 1000 is accepted")
    void dataTooLong() throws TokenException {
        String base = "session_id=" + session + "&create_time=" + now + "&expire_time=" + (now + 60)
                + "&connection_data=";
        // 1000 'é' are 6000 characters encoded, and 1000 decoded: the limit is on the decoded data.
        String longest = HandMade.legacy(KEY, SECRET, base + "%C3%A9".repeat(1000));
        String tooLong = HandMade.legacy(KEY, SECRET, base + "%C3%A9".repeat(1001));

        assertThat(tokens.verify(longest, session).connectionData()).isEqualTo("é".repeat(1000));
        assertThatThrownBy(() -> tokens.verify(tooLong, session))
                .isInstanceOf(TokenException.class)
                .hasMessage("token connection data is longer than 1000 characters (1001)");
    }

    @Test
    @DisplayName("a malformed legacy token says what is wrong with it")
    void malformed() {
        String fields = "session_id=" + session + "&create_time=" + now;

        assertThatThrownBy(() -> tokens.verify("T1==!!not base64!!", session))
                .hasMessage("token is malformed: not base64 after T1==");
        assertThatThrownBy(() -> tokens.verify("T1==" + Base64.getEncoder().encodeToString(
                "partner_id=12345678&sig=00".getBytes(StandardCharsets.UTF_8)), session))
                .hasMessage("token is malformed: no ':' between signature and data");
        assertThatThrownBy(() -> tokens.verify(HandMade.legacy(KEY, SECRET, fields + "&session_id=" + otherSession),
                session)).hasMessage("token is malformed: field session_id appears twice");
        assertThatThrownBy(() -> tokens.verify(HandMade.legacy(KEY, SECRET, "create_time=" + now), session))
                .hasMessage("token has no session_id");
        assertThatThrownBy(() -> tokens.verify(HandMade.legacy(KEY, SECRET, "session_id=" + session), session))
                .hasMessage("token has no create_time");
        assertThatThrownBy(() -> tokens.verify(HandMade.legacy(KEY, SECRET, fields + "&expire_time=soon"), session))
                .hasMessage("token is malformed: expire_time is not a time in epoch seconds");
        assertThatThrownBy(() -> tokens.verify(HandMade.legacy(KEY, SECRET, fields + "&connection_data=%zz"), session))
                .hasMessage("token is malformed: connection_data is not URL-encoded");
        String noPartner = "T1==" + Base64.getEncoder().encodeToString(
                ("sig=" + HandMade.macHex("HmacSHA1", SECRET, fields) + ":" + fields).getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> tokens.verify(noPartner, session)).hasMessage("token is malformed: no partner_id");
    }
}
