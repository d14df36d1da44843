package io.signalbox.server.auth;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Session ids in OpenTok's form, which carry the API key of the project they belong to: a session id
 * is valid for a server by its form alone, and nothing about it has to be stored.
 *
 * <p>The form is {@code "1_"} followed by the base64 of {@code "1~" + apiKey + "~~" + createdAtMillis +
 * "~" + random + "~"}. The fields are separated by {@code ~}: field 0 is a version, field 1 the API key,
 * field 2 a location (empty here), field 3 the creation time in epoch milliseconds and field 4 a random
 * part that makes the id unique.
 *
 * <p>Ids are created with URL-safe base64 without padding, so they can sit in a URL path as they are.
 * Reading accepts what OpenTok's tooling accepts: any digit and {@code _} as the prefix, standard or
 * URL-safe base64, with or without padding; only field 1, the API key, is read. Anything else is simply
 * not a session id: reading never throws.
 */
public final class SessionIds {
    /** Characters of the random part: 16 of 36 give 82 bits, plenty against guessing a live session. */
    static final int RANDOM_LENGTH = 16;
    private static final String RANDOM_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

    private SessionIds() {}

    /**
     * Creates a new session id for a project.
     *
     * @param apiKey the project's API key
     * @param now    the creation time, written into the id to the millisecond
     * @param random the source of the random part; a {@link java.security.SecureRandom} outside of
     *               tests, so that ids cannot be guessed
     * @return the session id, e.g. {@code 1_MX4xMjM0NTY3OH5-MTc2NDI0MDQwMDAwMH5xN...}
     * @throws IllegalArgumentException when {@code apiKey} is not an API key
     */
    public static String create(String apiKey, Instant now, RandomGenerator random) {
        if (!ApiCredentials.isApiKey(apiKey)) {
            throw new IllegalArgumentException("cannot create a session id: \"" + apiKey + "\" is not an API key");
        }
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(random, "random");
        StringBuilder randomPart = new StringBuilder(RANDOM_LENGTH);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            randomPart.append(RANDOM_ALPHABET.charAt(random.nextInt(RANDOM_ALPHABET.length())));
        }
        String fields = "1~" + apiKey + "~~" + now.toEpochMilli() + "~" + randomPart + "~";
        return "1_" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(fields.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Whether {@code sessionId} is a session id of the project with {@code apiKey}.
     *
     * @param sessionId any text, null included
     * @param apiKey    the project's API key
     * @return true iff the id is of the form and names this API key
     */
    public static boolean belongsTo(String sessionId, String apiKey) {
        return apiKey != null && apiKeyOf(sessionId).filter(apiKey::equals).isPresent();
    }

    /**
     * The API key a session id names.
     *
     * @param sessionId any text, null included
     * @return the API key, or empty when {@code sessionId} is not of the form (null, empty, a wrong
     *         prefix, not base64, too few fields, or a field 1 that is not an API key)
     */
    public static Optional<String> apiKeyOf(String sessionId) {
        if (sessionId == null || sessionId.length() < 3) return Optional.empty();
        char version = sessionId.charAt(0);
        if (version < '0' || version > '9' || sessionId.charAt(1) != '_') return Optional.empty();
        byte[] decoded = LenientBase64.decode(sessionId.substring(2));
        if (decoded == null) return Optional.empty();
        // A byte that is not UTF-8 becomes a replacement character, which no API key contains.
        String[] fields = new String(decoded, StandardCharsets.UTF_8).split("~", -1);
        if (fields.length < 2 || !ApiCredentials.isApiKey(fields[1])) return Optional.empty();
        return Optional.of(fields[1]);
    }
}
