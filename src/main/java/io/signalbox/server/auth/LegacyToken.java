package io.signalbox.server.auth;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OpenTok's legacy client token, {@code "T1=="} followed by the base64 of
 * {@code "partner_id=KEY&sig=HEX:DATA"}, where {@code HEX} is the lowercase hex HMAC-SHA1 of
 * {@code DATA} under the API secret and {@code DATA} is a query string: {@code session_id},
 * {@code create_time}, {@code nonce}, {@code role}, {@code expire_time}, {@code connection_data}
 * (URL-encoded) and {@code initial_layout_class_list}.
 *
 * <p>OpenTok's SDKs differ in the details, and reading accepts all of them: any order of the fields,
 * standard or URL-safe base64 with or without padding, spaces encoded as {@code +} or {@code %20}, and
 * an {@code initial_layout_class_list} left unencoded (its content is ignored). The signature is
 * checked over the data exactly as it arrived, byte for byte.
 */
final class LegacyToken {
    /** What starts every legacy token. */
    static final String PREFIX = "T1==";
    /** OpenTok's lifetime of a token minted without {@code expire_time}. */
    static final Duration DEFAULT_LIFETIME = Duration.ofHours(24);

    private LegacyToken() {}

    /** Mints a legacy token, with its fields in the order of OpenTok's Java SDK and standard base64. */
    static String encode(ApiCredentials credentials, String sessionId, Role role, String connectionData,
                         Instant issuedAt, Instant expiresAt, long nonce) {
        StringBuilder data = new StringBuilder()
                .append("session_id=").append(sessionId)
                .append("&create_time=").append(issuedAt.getEpochSecond())
                .append("&nonce=").append(nonce)
                .append("&role=").append(role.wireName())
                .append("&expire_time=").append(expiresAt.getEpochSecond());
        if (!connectionData.isEmpty()) {
            data.append("&connection_data=").append(URLEncoder.encode(connectionData, StandardCharsets.UTF_8));
        }
        byte[] dataBytes = data.toString().getBytes(StandardCharsets.UTF_8);
        String inner = "partner_id=" + credentials.apiKey() + "&sig=" + HexFormat.of().formatHex(hmacSha1(credentials, dataBytes))
                + ":" + data;
        return PREFIX + Base64.getEncoder().encodeToString(inner.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a legacy token of our API key and checks its signature; the caller checks the rest.
     *
     * @param token a token that starts with {@link #PREFIX}
     */
    static TokenFields decode(String token, ApiCredentials credentials) throws TokenException {
        byte[] decoded = LenientBase64.decode(token.substring(PREFIX.length()));
        if (decoded == null) throw new TokenException("token is malformed: not base64 after T1==");
        int colon = indexOf(decoded, (byte) ':');
        if (colon < 0) throw new TokenException("token is malformed: no ':' between signature and data");

        Map<String, String> header = parseQuery(utf8(Arrays.copyOfRange(decoded, 0, colon)));
        String partnerId = header.get("partner_id");
        if (partnerId == null) throw new TokenException("token is malformed: no partner_id");
        if (!partnerId.equals(credentials.apiKey())) throw new TokenException("token is for another API key");

        byte[] data = Arrays.copyOfRange(decoded, colon + 1, decoded.length);
        if (!MessageDigest.isEqual(hmacSha1(credentials, data), parseHex(header.get("sig")))) {
            throw new TokenException("token signature does not match");
        }

        Map<String, String> fields = parseQuery(utf8(data));
        String sessionId = fields.get("session_id");
        if (sessionId == null) throw new TokenException("token has no session_id");
        String createTime = fields.get("create_time");
        if (createTime == null) throw new TokenException("token has no create_time");
        Instant issuedAt = epochSeconds(createTime, "create_time");
        String expireTime = fields.get("expire_time");
        Instant expiresAt = expireTime == null
                ? issuedAt.plus(DEFAULT_LIFETIME)
                : epochSeconds(expireTime, "expire_time");
        String role = fields.get("role");
        String connectionData = fields.get("connection_data");
        return new TokenFields(
                // A '+' in a session id is itself, as OpenTok's Java SDK leaves the id unencoded.
                formDecode(sessionId.replace("+", "%2B"), "session_id"),
                role == null ? null : formDecode(role, "role"),
                connectionData == null ? null : formDecode(connectionData, "connection_data"),
                issuedAt,
                expiresAt);
    }

    private static byte[] hmacSha1(ApiCredentials credentials, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(credentials.secret(), "HmacSHA1"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException cannotHappen) {
            // Every Java platform must provide HmacSHA1, and it takes a key of any length.
            throw new IllegalStateException("HmacSHA1 is not available", cannotHappen);
        }
    }

    /** The bytes of a hex signature, either case; a missing or malformed one is no bytes, which never matches. */
    private static byte[] parseHex(String hex) {
        if (hex == null) return new byte[0];
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException notHex) {
            return new byte[0];
        }
    }

    /**
     * Splits {@code a=1&b=2} into its fields, values as they are (still encoded). A field named twice
     * is refused: SDKs never write one, and which of the two counts would be a guess.
     */
    private static Map<String, String> parseQuery(String query) throws TokenException {
        Map<String, String> fields = new HashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) continue;
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            if (fields.putIfAbsent(name, value) != null) {
                throw new TokenException("token is malformed: field " + name + " appears twice");
            }
        }
        return fields;
    }

    private static String formDecode(String value, String name) throws TokenException {
        try {
            return URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            throw new TokenException("token is malformed: " + name + " is not URL-encoded");
        }
    }

    /** Whole epoch seconds, or with a fraction (dropped) as some tooling writes them. */
    private static Instant epochSeconds(String value, String name) throws TokenException {
        if (!value.matches("\\d{1,15}(\\.\\d*)?")) {
            throw new TokenException("token is malformed: " + name + " is not a time in epoch seconds");
        }
        int dot = value.indexOf('.');
        return Instant.ofEpochSecond(Long.parseLong(dot < 0 ? value : value.substring(0, dot)));
    }

    private static String utf8(byte[] bytes) throws TokenException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            throw new TokenException("token is malformed: not UTF-8");
        }
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == wanted) return i;
        }
        return -1;
    }
}
