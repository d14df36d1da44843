package io.signalbox.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.Map;

/**
 * JWTs signed with HS256 and the API secret, as OpenTok's SDKs make them: the one place that signs
 * them and checks their signature, for client tokens and project JWTs alike.
 *
 * <p>Claims are read from the raw JSON rather than through Nimbus's typed claims set, because OpenTok
 * tooling in JavaScript often writes {@code iss} as a number, which the typed set refuses.
 */
final class Hs256Jwt {
    private Hs256Jwt() {}

    /** Signs {@code claims} with the secret. */
    static String sign(ApiCredentials credentials, JWTClaimsSet claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new MACSigner(credentials.secret()));
        } catch (JOSEException cannotHappen) {
            // The credentials guarantee a key of at least 256 bits, all HS256 asks for.
            throw new IllegalStateException("cannot sign a JWT with HS256", cannotHappen);
        }
        return jwt.serialize();
    }

    /**
     * Checks that {@code compact} is an HS256 JWT issued for our API key and signed with our secret.
     * The issuer is checked before the signature: a token of another project then says so, instead of
     * only "signature does not match", and nothing of it is trusted either way.
     *
     * @param subject what is checked, for the messages: "token", "X-OPENTOK-AUTH token"
     * @return its claims, whose signature is verified
     */
    static Claims verify(String compact, ApiCredentials credentials, String subject) throws TokenException {
        if (!isCompactForm(compact)) {
            throw new TokenException(subject + " is not a JWT");
        }
        JWT parsed;
        try {
            parsed = JWTParser.parse(compact);
        } catch (ParseException notJwt) {
            throw new TokenException(subject + " is not a JWT");
        }
        if (parsed instanceof PlainJWT) {
            throw new TokenException(subject + " is unsigned (alg none); only HS256 is accepted");
        }
        if (parsed instanceof EncryptedJWT encrypted) {
            throw new TokenException(subject + " is encrypted (alg " + encrypted.getHeader().getAlgorithm()
                    + "); only HS256 is accepted");
        }
        SignedJWT signed = (SignedJWT) parsed;
        JWSAlgorithm alg = signed.getHeader().getAlgorithm();
        if (!JWSAlgorithm.HS256.equals(alg)) {
            throw new TokenException(subject + " uses alg " + alg + "; only HS256 is accepted");
        }
        Map<String, Object> json = signed.getPayload().toJSONObject();
        if (json == null) {
            throw new TokenException(subject + " is not a JWT: its payload is not a JSON object");
        }
        Claims claims = new Claims(json, subject);
        String issuer = claims.issuer();
        if (!credentials.apiKey().equals(issuer)) {
            throw new TokenException(subject + " is for another API key");
        }
        boolean valid;
        try {
            valid = signed.verify(new MACVerifier(credentials.secret()));
        } catch (JOSEException unverifiable) {
            // e.g. a "crit" header naming an extension we do not understand
            throw new TokenException(subject + " cannot be verified: " + unverifiable.getMessage());
        }
        if (!valid) {
            throw new TokenException(subject + " signature does not match");
        }
        return claims;
    }

    /**
     * Whether {@code text} holds only what a compact JWT is made of: base64url and dots ({@code =}
     * too, which some tooling pads with). Nimbus would trim control characters around a JWT and skip
     * characters outside base64 inside it, so a token with a NUL before it or a stray byte in its
     * signature would be accepted as the genuine one; the callers promise only that spaces around a
     * token are ignored, and a token that is not written as one is refused before it is read.
     */
    private static boolean isCompactForm(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean base64url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_';
            if (!base64url && c != '.' && c != '=') return false;
        }
        return true;
    }

    /**
     * The claims of a JWT, read with the types OpenTok's tooling writes and a clear message for each
     * claim that is missing or of the wrong type.
     *
     * @param json    the payload
     * @param subject what the claims belong to, for the messages
     */
    record Claims(Map<String, Object> json, String subject) {
        /** Whether {@code name} is present with a value other than null. */
        boolean has(String name) {
            return json.get(name) != null;
        }

        /** A string claim, or null when absent; refused when of another type. */
        String optionalString(String name) throws TokenException {
            Object value = json.get(name);
            if (value == null || value instanceof String) return (String) value;
            throw new TokenException(subject + " claim " + name + " is not a string");
        }

        /** A string claim that must be present. */
        String requiredString(String name) throws TokenException {
            String value = optionalString(name);
            if (value == null) throw new TokenException(subject + " has no " + name + " claim");
            return value;
        }

        /** The {@code iss}: a string, or a whole number as JavaScript tooling writes an API key. */
        String issuer() throws TokenException {
            Object value = json.get("iss");
            if (value == null) throw new TokenException(subject + " has no iss claim");
            if (value instanceof String text) return text;
            if (value instanceof Long || value instanceof Integer) return value.toString();
            throw new TokenException(subject + " claim iss is not an API key");
        }

        /** A time in epoch seconds, or null when absent; a fraction of a second is dropped. */
        Instant optionalTime(String name) throws TokenException {
            Object value = json.get(name);
            if (value == null) return null;
            if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
                try {
                    return value instanceof Double || value instanceof Float
                            ? Instant.ofEpochSecond((long) Math.floor(number.doubleValue()))
                            : Instant.ofEpochSecond(number.longValue());
                } catch (DateTimeException outOfRange) {
                    // fall through to the refusal below
                }
            }
            throw new TokenException(subject + " claim " + name + " is not a time in epoch seconds");
        }

        /** A time that must be present. */
        Instant requiredTime(String name) throws TokenException {
            Instant value = optionalTime(name);
            if (value == null) throw new TokenException(subject + " has no " + name + " claim");
            return value;
        }
    }
}
