package io.signalbox.server.auth;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people type them on the command line and in configuration: a whole number and a unit,
 * {@code 90s}, {@code 30m}, {@code 24h}, {@code 7d}.
 */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*([smhd])", Pattern.CASE_INSENSITIVE);
    private static final String EXPECTED = "expected a whole number and a unit s, m, h or d, e.g. 90s, 30m, 24h, 7d";

    private Durations() {}

    /**
     * Parses a duration. Spaces around the text and between the number and the unit are allowed, and
     * the unit's case is ignored ({@code 24H} is 24 hours). A day is 24 hours.
     *
     * @param text e.g. {@code "90s"}, {@code "30m"}, {@code "24h"}, {@code "7d"}
     * @return the duration, always positive
     * @throws IllegalArgumentException when the text is not of that form, is zero or negative, or is
     *         too long to represent; the message says which and shows the expected form
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("missing duration; " + EXPECTED);
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("-")) {
            throw new IllegalArgumentException("duration must be positive; got \"" + trimmed + "\"");
        }
        Matcher matcher = FORM.matcher(trimmed);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("invalid duration \"" + trimmed + "\"; " + EXPECTED);
        }
        ChronoUnit unit = switch (Character.toLowerCase(matcher.group(2).charAt(0))) {
            case 's' -> ChronoUnit.SECONDS;
            case 'm' -> ChronoUnit.MINUTES;
            case 'h' -> ChronoUnit.HOURS;
            default -> ChronoUnit.DAYS;
        };
        Duration duration;
        try {
            duration = Duration.of(Long.parseLong(matcher.group(1)), unit);
        } catch (NumberFormatException | ArithmeticException tooBig) {
            throw new IllegalArgumentException("duration \"" + trimmed + "\" is too long");
        }
        if (duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive; got \"" + trimmed + "\"");
        }
        return duration;
    }
}
