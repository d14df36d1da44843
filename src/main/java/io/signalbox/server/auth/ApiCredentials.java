package io.signalbox.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.random.RandomGenerator;

/**
 * A project's API key and secret: the key names the project in session ids and tokens, the secret
 * signs them. The formats are OpenTok's, so a project's OpenTok credentials work here unchanged.
 *
 * <p>The secret is kept as a copy that no caller can change, {@link #equals} compares its bytes (in
 * constant time), and {@link #toString} never shows it, so credentials may be logged.
 *
 * @param apiKey the API key: a decimal number of 1 to 18 digits, not starting with 0
 * @param secret the API secret's bytes, the HMAC key of every signature; at least 32 bytes
 */
public record ApiCredentials(String apiKey, byte[] secret) {
    /** HS256 needs a key of at least 256 bits; OpenTok's secrets are 40 characters. */
    static final int MIN_SECRET_BYTES = 32;
    /** A long holds 18 digits; OpenTok's keys are 8. */
    static final int MAX_API_KEY_DIGITS = 18;

    /**
     * Checks the key and the secret, and keeps a copy of the secret.
     *
     * @throws IllegalArgumentException when the key is not a decimal number of 1 to 18 digits, or the
     *         secret is shorter than 32 bytes; the message says which
     */
    public ApiCredentials {
        if (apiKey == null) {
            throw new IllegalArgumentException("API key is missing");
        }
        if (!isApiKey(apiKey)) {
            // OpenTok's SDKs hold the key as an integer and write it without leading zeros, so a key
            // with one could never match the tokens they mint: refuse it here, where it is clear why.
            throw new IllegalArgumentException("API key must be a decimal number of 1 to " + MAX_API_KEY_DIGITS
                    + " digits, not starting with 0, e.g. 12345678; got \"" + apiKey + "\"");
        }
        if (secret == null) {
            throw new IllegalArgumentException("API secret is missing");
        }
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("API secret must be at least " + MIN_SECRET_BYTES
                    + " bytes (an OpenTok secret is 40 hex characters); got " + secret.length);
        }
        secret = secret.clone();
    }

    /**
     * Makes new credentials in OpenTok's shape: an 8-digit key and a secret of 40 lowercase hex
     * characters (160 random bits), kept as the UTF-8 bytes of that text.
     *
     * @param random the source of the key and secret; pass a {@link java.security.SecureRandom}
     *               outside of tests, as the secret is only as strong as this generator
     * @return the new credentials
     */
    public static ApiCredentials generate(RandomGenerator random) {
        String apiKey = Integer.toString(10_000_000 + random.nextInt(90_000_000));
        byte[] secretBits = new byte[20];
        random.nextBytes(secretBits);
        return of(apiKey, HexFormat.of().formatHex(secretBits));
    }

    /**
     * Credentials from their text, as OpenTok's dashboard and configuration files show them.
     *
     * @param apiKey the API key, e.g. {@code "12345678"}
     * @param secret the API secret; its UTF-8 bytes are the signing key
     * @return the credentials
     * @throws IllegalArgumentException when the key or the secret is invalid, as for the constructor
     */
    public static ApiCredentials of(String apiKey, String secret) {
        if (secret == null) {
            throw new IllegalArgumentException("API secret is missing");
        }
        return new ApiCredentials(apiKey, secret.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A copy of the secret's bytes; changing it changes nothing here.
     *
     * @return the secret's bytes
     */
    @Override
    public byte[] secret() {
        return secret.clone();
    }

    /**
     * The secret as text, e.g. to write it to a configuration file. Bytes that are not UTF-8 (a
     * secret made from raw random bytes) come out as replacement characters.
     *
     * @return the secret decoded as UTF-8
     */
    public String secretText() {
        return new String(secret, StandardCharsets.UTF_8);
    }

    /**
     * Equal when both the key and the secret's bytes are equal; the secrets are compared in time
     * that does not depend on where they differ.
     *
     * @param other any object
     * @return whether {@code other} holds the same credentials
     */
    @Override
    public boolean equals(Object other) {
        return other instanceof ApiCredentials that
                && apiKey.equals(that.apiKey)
                && MessageDigest.isEqual(secret, that.secret);
    }

    /**
     * A hash of the key alone: consistent with {@link #equals}, and nothing of the secret leaks
     * through it.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return apiKey.hashCode();
    }

    /**
     * The key, and the secret hidden, so that credentials can be logged.
     *
     * @return e.g. {@code ApiCredentials[apiKey=12345678, secret=<hidden>]}
     */
    @Override
    public String toString() {
        return "ApiCredentials[apiKey=" + apiKey + ", secret=<hidden>]";
    }

    /** Whether {@code text} is of an API key's form: 1 to 18 decimal digits, not starting with 0. */
    static boolean isApiKey(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_API_KEY_DIGITS || text.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }
}
