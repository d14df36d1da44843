package io.signalbox.server.auth;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens built by hand, with nothing but string concatenation, {@code javax.crypto} and
 * {@code java.util.Base64}, the way OpenTok's server SDKs build them; so that the tests prove
 * compatibility with the formats, not agreement of this package with itself.
 */
final class HandMade {
    static final String KEY = "12345678";
    static final String SECRET = "0123456789abcdef0123456789abcdef01234567";
    static final String OTHER_KEY = "87654321";
    static final String OTHER_SECRET = "fedcba9876543210fedcba9876543210fedcba98";

    private HandMade() {}

    /** The lowercase hex of a MAC such as {@code HmacSHA1} of {@code data} under {@code secret}. */
    static String macHex(String algorithm, String secret, String data) {
        return HexFormat.of().formatHex(mac(algorithm, secret, data.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] mac(String algorithm, String secret, byte[] data) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** {@code "T1==" + base64("partner_id=KEY&sig=HEX:DATA")}, standard base64 with padding. */
    static String legacy(String partnerId, String secret, String data) {
        String inner = "partner_id=" + partnerId + "&sig=" + macHex("HmacSHA1", secret, data) + ":" + data;
        return "T1==" + Base64.getEncoder().encodeToString(inner.getBytes(StandardCharsets.UTF_8));
    }

    /** What follows {@code "T1=="}, decoded from either base64 alphabet. */
    static String legacyInner(String token) {
        String body = token.substring(4).replace('-', '+').replace('_', '/');
        return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
    }

    /** A JWT signed by hand with HS256 (or {@code macAlgorithm}) over the given header and payload JSON. */
    static String jwt(String headerJson, String payloadJson, String secret, String macAlgorithm) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(headerJson.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
        byte[] signature = mac(macAlgorithm, secret, signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + b64.encodeToString(signature);
    }

    static String jwt(String payloadJson, String secret) {
        return jwt("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", payloadJson, secret, "HmacSHA256");
    }

    /** The payload of a JWT, read with Jackson rather than the library under test. */
    static Map<String, Object> payloadOf(String jwt) {
        return json(jwt.split("\\.")[1]);
    }

    /** The header of a JWT, read with Jackson. */
    static Map<String, Object> headerOf(String jwt) {
        return json(jwt.split("\\.")[0]);
    }

    private static Map<String, Object> json(String base64Url) {
        try {
            byte[] bytes = Base64.getUrlDecoder().decode(base64Url);
            return new ObjectMapper().readValue(bytes, new TypeReference<Map<String, Object>>() {});
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
