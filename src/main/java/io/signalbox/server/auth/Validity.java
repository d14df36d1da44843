package io.signalbox.server.auth;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.random.RandomGenerator;

/** The rules of time shared by client tokens and project JWTs: lifetimes when minting, expiry when verifying. */
final class Validity {
    /**
     * How far the clock of whoever minted a token may be off from ours. Tokens are often minted by an
     * application's own backend with an OpenTok SDK, on another machine; a few seconds absorb the
     * usual drift without keeping an expired token usable for long.
     */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    private Validity() {}

    /**
     * Checks a lifetime asked for when minting.
     *
     * @throws IllegalArgumentException when {@code ttl} is missing, not positive, below a second
     *         (times in tokens are whole seconds, so the token would be born expired) or above {@code max}
     */
    static Duration requireTtl(Duration ttl, Duration max) {
        if (ttl == null) throw new IllegalArgumentException("ttl is missing");
        if (ttl.isZero() || ttl.isNegative()) {
            throw new IllegalArgumentException("ttl must be positive; got " + ttl);
        }
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("ttl must be at least 1 second; got " + ttl);
        }
        if (ttl.compareTo(max) > 0) {
            throw new IllegalArgumentException("ttl must be at most " + max.toDays() + " days; got " + ttl);
        }
        return ttl;
    }

    /**
     * Refuses a token outside its validity, with {@link #CLOCK_SKEW} of leeway on both ends.
     *
     * @param subject   what is checked, for the message: "token", "X-OPENTOK-AUTH token"
     * @param notBefore the {@code nbf} time, or null when there is none
     * @param expiresAt the expiry; the token is refused from {@code expiresAt + CLOCK_SKEW} on
     * @param now       the time of the check
     */
    static void check(String subject, Instant notBefore, Instant expiresAt, Instant now) throws TokenException {
        if (!now.minus(CLOCK_SKEW).isBefore(expiresAt)) {
            throw new TokenException(subject + " expired at " + expiresAt);
        }
        if (notBefore != null && now.plus(CLOCK_SKEW).isBefore(notBefore)) {
            throw new TokenException(subject + " is not valid before " + notBefore);
        }
    }

    /** A random (version 4) UUID from {@code random}, for a JWT's {@code jti}. */
    static String randomUuid(RandomGenerator random) {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low).toString();
    }
}
