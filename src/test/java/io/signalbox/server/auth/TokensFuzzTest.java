package io.signalbox.server.auth;

import static io.signalbox.server.auth.HandMade.KEY;
import static io.signalbox.server.auth.HandMade.SECRET;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Fuzz tests of the two token parsers, the JWT and OpenTok's legacy {@code T1==} form, through
 * {@link Tokens#verify} and {@link ProjectAuth#verify}, and of the session id reader that a join's
 * session id goes through. The seed corpus is in
 * {@code src/test/resources/io/signalbox/server/auth/TokensFuzzTestInputs/}.
 *
 * <p>The properties, beyond not crashing: a token is refused only with a {@link TokenException} whose
 * message says why and never holds the secret; and no token is accepted unless what it signs is,
 * byte for byte, what a genuine token signed: the JWT's header and payload, or the legacy token's data.
 * A mutated token may still pass where the mutation touched nothing signed (spaces around it, the
 * case of the legacy signature's hex, the base64 alphabet of the legacy wrapper), and then it must
 * grant exactly what the genuine one does. A client token is never a project JWT, nor the other way.
 */
class TokensFuzzTest {
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static final ApiCredentials CREDENTIALS = ApiCredentials.of(KEY, SECRET);
    private static final String SESSION = SessionIds.create(KEY, NOW, new Random(1));
    /** Characters that mean something to one of the forms, for the mutations to favour. */
    private static final char[] SPECIAL = ".=-_+/ %&:~{}\",\\0aAzZ".toCharArray();

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final Tokens tokens = new Tokens(CREDENTIALS, clock, new Random(7));
    private final ProjectAuth projectAuth = new ProjectAuth(CREDENTIALS, clock, new Random(7));
    private final List<Genuine> genuine = genuineTokens();

    /** A token signed with the secret, and what it grants: null for a project JWT. */
    private record Genuine(String token, TokenGrant grant) {
        boolean isProject() {
            return grant == null;
        }
    }

    /** Any text as a token: only refusals with a reason, and nothing accepted that no genuine token signed. */
    @FuzzTest
    void anyToken(byte[] input) {
        assertOnlyGenuineAccepted(new String(input, StandardCharsets.UTF_8));
    }

    /**
     * A genuine token of either form with a few edits: to its text, or to its decoded insides, which
     * are then encoded again in any of the base64 shapes the parsers accept, so that the fuzzer reaches
     * past the wrapper to the claims, the legacy fields and the signatures.
     */
    @FuzzTest
    void mutatedToken(FuzzedDataProvider data) {
        Genuine original = data.pickValue(genuine);
        String token = data.consumeBoolean() ? editInside(original.token(), data) : edit(original.token(), data);
        assertOnlyGenuineAccepted(token);
    }

    /** Any text as a session id: reading never throws, and a key it finds is of an API key's form. */
    @FuzzTest
    void sessionId(byte[] input) {
        String sessionId = new String(input, StandardCharsets.UTF_8);
        SessionIds.apiKeyOf(sessionId).ifPresentOrElse(
                key -> {
                    assertThat(ApiCredentials.isApiKey(key)).as("the key %s of %s", key, sessionId).isTrue();
                    assertThat(SessionIds.belongsTo(sessionId, key)).isTrue();
                },
                () -> assertThat(SessionIds.belongsTo(sessionId, KEY)).isFalse());
    }

    @Test
    @DisplayName("the genuine tokens the fuzz tests start from are accepted, each by its own verifier only")
    void genuineTokensAreAccepted() throws TokenException {
        for (Genuine g : genuine) {
            if (g.isProject()) {
                projectAuth.verify(g.token());
            } else {
                assertThat(tokens.verify(g.token(), SESSION)).isEqualTo(g.grant());
            }
        }
        assertThat(genuine).anyMatch(Genuine::isProject).anyMatch(g -> g.token().startsWith("T1=="))
                .anyMatch(g -> g.token().startsWith("eyJ") && !g.isProject());
    }

    @Test
    @DisplayName("the seeds named valid-* are genuine tokens, so the corpus starts from accepted tokens of each shape")
    void validSeedsAreGenuine() throws Exception {
        Path seeds = Path.of(TokensFuzzTest.class.getResource("TokensFuzzTestInputs/anyToken").toURI());
        List<Path> valid;
        try (Stream<Path> files = Files.list(seeds)) {
            valid = files.filter(f -> f.getFileName().toString().startsWith("valid-")).toList();
        }
        assertThat(valid).hasSizeGreaterThanOrEqualTo(5);
        for (Path seed : valid) {
            assertThat(signedBy(Files.readString(seed))).as("the genuine token behind %s", seed.getFileName()).isNotNull();
        }
    }

    private void assertOnlyGenuineAccepted(String token) {
        TokenGrant grant;
        try {
            grant = tokens.verify(token, SESSION);
        } catch (TokenException refused) {
            assertReadable(refused);
            grant = null;
        }
        if (grant != null) {
            Genuine source = signedBy(token);
            assertThat(source).as("a genuine token that signs what %s signs", escaped(token)).isNotNull();
            assertThat(source.isProject()).as("%s, a project JWT, accepted as a client token", escaped(token)).isFalse();
            assertThat(grant).isEqualTo(source.grant());
        }
        boolean projectAccepted;
        try {
            projectAuth.verify(token);
            projectAccepted = true;
        } catch (TokenException refused) {
            assertReadable(refused);
            projectAccepted = false;
        }
        if (projectAccepted) {
            Genuine source = signedBy(token);
            assertThat(source).as("a genuine JWT that signs what %s signs", escaped(token)).isNotNull();
            assertThat(source.isProject()).as("%s, a client token, accepted as a project JWT", escaped(token)).isTrue();
        }
    }

    /** The token with every character outside printable ASCII written as a Java escape, for messages. */
    private static String escaped(String token) {
        StringBuilder out = new StringBuilder();
        token.chars().forEach(c -> out.append(c >= 0x21 && c < 0x7f ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return out.toString();
    }

    private static void assertReadable(TokenException refused) {
        assertThat(refused.getMessage()).isNotBlank().doesNotContain(SECRET);
    }

    /** The genuine token that signs the same bytes as {@code token}, or null when there is none. */
    private Genuine signedBy(String token) {
        String signed = signedPart(token);
        if (signed == null) return null;
        for (Genuine g : genuine) {
            if (signed.equals(signedPart(g.token()))) return g;
        }
        return null;
    }

    /**
     * What a token's signature covers, found without the parsers' code: a JWT's header and payload
     * as they are written, or the bytes after the first ':' of a legacy token's decoded insides.
     */
    private static String signedPart(String token) {
        String t = token.strip();
        if (t.startsWith("T1==")) {
            byte[] inside = decodeAnyBase64(t.substring(4));
            if (inside == null) return null;
            String text = new String(inside, StandardCharsets.ISO_8859_1);
            int colon = text.indexOf(':');
            return colon < 0 ? null : "legacy:" + text.substring(colon + 1);
        }
        int lastDot = t.lastIndexOf('.');
        return lastDot < 0 ? null : "jwt:" + t.substring(0, lastDot);
    }

    private static byte[] decodeAnyBase64(String text) {
        String unpadded = text.replaceAll("=+$", "").replace('-', '+').replace('_', '/');
        try {
            return Base64.getDecoder().decode(unpadded);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }

    /** One to four edits of single characters, favouring those that mean something to a parser. */
    private static String edit(String text, FuzzedDataProvider data) {
        StringBuilder t = new StringBuilder(text);
        for (int i = data.consumeInt(1, 4); i > 0; i--) {
            int at = data.consumeInt(0, t.length());
            char c = data.consumeBoolean() ? data.pickValue(SPECIAL) : data.consumeChar();
            switch (data.consumeInt(0, 2)) {
                case 0 -> t.insert(at, c);
                case 1 -> { if (at < t.length()) t.setCharAt(at, c); }
                default -> { if (at < t.length()) t.deleteCharAt(at); }
            }
        }
        return t.toString();
    }

    /** Edits of a token's decoded insides, encoded again as the form has it (in any base64 shape for legacy). */
    private static String editInside(String token, FuzzedDataProvider data) {
        Base64.Encoder url = Base64.getUrlEncoder().withoutPadding();
        if (token.startsWith("T1==")) {
            String inside = new String(Base64.getDecoder().decode(token.substring(4)), StandardCharsets.UTF_8);
            byte[] edited = edit(inside, data).getBytes(StandardCharsets.UTF_8);
            Base64.Encoder encoder = switch (data.consumeInt(0, 3)) {
                case 0 -> Base64.getEncoder();
                case 1 -> Base64.getEncoder().withoutPadding();
                case 2 -> Base64.getUrlEncoder();
                default -> url;
            };
            return "T1==" + encoder.encodeToString(edited);
        }
        String[] parts = token.split("\\.", -1);
        int which = data.consumeInt(0, parts.length - 1);
        if (which < 2) {
            String json = new String(Base64.getUrlDecoder().decode(parts[which]), StandardCharsets.UTF_8);
            parts[which] = url.encodeToString(edit(json, data).getBytes(StandardCharsets.UTF_8));
        } else {
            parts[which] = edit(parts[which], data);
        }
        return String.join(".", parts);
    }

    /**
     * Genuine tokens of every shape the parsers accept, minted here and made by hand as OpenTok's SDKs
     * and JavaScript tooling make them.
     */
    private List<Genuine> genuineTokens() {
        long now = NOW.getEpochSecond();
        List<Genuine> list = new ArrayList<>();
        list.add(new Genuine(tokens.mintJwt(SESSION, Role.PUBLISHER, "name=Ada", Duration.ofHours(1)),
                new TokenGrant(SESSION, Role.PUBLISHER, "name=Ada", NOW, NOW.plus(Duration.ofHours(1)))));
        list.add(new Genuine(tokens.mintJwt(SESSION, Role.MODERATOR, null, Tokens.MAX_TTL),
                new TokenGrant(SESSION, Role.MODERATOR, "", NOW, NOW.plus(Tokens.MAX_TTL))));
        list.add(new Genuine(tokens.mintLegacy(SESSION, Role.SUBSCRIBER, "name=Zoë & co+1 100%", Duration.ofHours(2)),
                new TokenGrant(SESSION, Role.SUBSCRIBER, "name=Zoë & co+1 100%", NOW, NOW.plus(Duration.ofHours(2)))));
        list.add(new Genuine(tokens.mintLegacy(SESSION, Role.PUBLISHER_ONLY, "", Duration.ofSeconds(1)),
                new TokenGrant(SESSION, Role.PUBLISHER_ONLY, "", NOW, NOW.plusSeconds(1))));
        // As JavaScript tooling writes it: iss a number, an nbf, a layout list, no jti, a role in capitals.
        list.add(new Genuine(HandMade.jwt("{\"iss\":" + KEY + ",\"ist\":\"project\",\"iat\":" + now + ",\"nbf\":" + now
                        + ",\"exp\":" + (now + 600) + ",\"session_id\":\"" + SESSION + "\",\"role\":\"Moderator\""
                        + ",\"scope\":\"session.connect\",\"initial_layout_class_list\":[\"focus\"]"
                        + ",\"connection_data\":\"name=Bo\"}", SECRET),
                new TokenGrant(SESSION, Role.MODERATOR, "name=Bo", NOW, NOW.plusSeconds(600))));
        list.add(new Genuine(HandMade.jwt("{\"iss\":\"" + KEY + "\",\"ist\":\"project\",\"iat\":" + now + ",\"exp\":"
                        + (now + 600) + ",\"jti\":\"j1\",\"session_id\":\"" + SESSION + "\",\"role\":\"publisher\""
                        + ",\"scope\":\"session.connect\",\"connection_data\":\"name=Ada\"}", SECRET),
                new TokenGrant(SESSION, Role.PUBLISHER, "name=Ada", NOW, NOW.plusSeconds(600))));
        // As older SDKs write it: other field order, no expire_time (24 h), %20 for a space, URL-safe base64.
        String legacyData = "nonce=42&role=publisher&session_id=" + SESSION + "&create_time=" + now
                + "&connection_data=name%3DCy%20Young&initial_layout_class_list=a b";
        String legacy = HandMade.legacy(KEY, SECRET, legacyData);
        list.add(new Genuine("T1==" + Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(Base64.getDecoder().decode(legacy.substring(4))),
                new TokenGrant(SESSION, Role.PUBLISHER, "name=Cy Young", NOW, NOW.plus(LegacyToken.DEFAULT_LIFETIME))));
        // A create_time with a fraction of a second, as some tooling writes it.
        list.add(new Genuine(HandMade.legacy(KEY, SECRET, legacyData.replace("create_time=" + now, "create_time=" + now + ".75")),
                new TokenGrant(SESSION, Role.PUBLISHER, "name=Cy Young", NOW, NOW.plus(LegacyToken.DEFAULT_LIFETIME))));
        list.add(new Genuine(projectAuth.mint(ProjectAuth.DEFAULT_TTL), null));
        list.add(new Genuine(HandMade.jwt("{\"iss\":" + KEY + ",\"ist\":\"project\",\"iat\":" + now + ",\"exp\":"
                + (now + 180) + ",\"jti\":\"4f1d\"}", SECRET), null));
        return List.copyOf(list);
    }
}
