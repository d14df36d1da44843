package io.signalbox.bench;

/**
 * One figure of a report.
 *
 * @param key   its name in JSON, snake_case
 * @param label its name in the table
 * @param value a number, a boolean or text
 */
record Figure(String key, String label, Object value) {

    /** The value as the table shows it: numbers rounded to what is meaningful. */
    String text() {
        return switch (value) {
            case null -> "n/a";
            case Double d when d.isNaN() -> "n/a";
            case Double d when Math.abs(d) >= 1000 -> String.format(java.util.Locale.ROOT, "%,.0f", d);
            case Double d when Math.abs(d) >= 10 -> String.format(java.util.Locale.ROOT, "%.1f", d);
            case Double d -> String.format(java.util.Locale.ROOT, "%.3f", d);
            case Long l -> String.format(java.util.Locale.ROOT, "%,d", l);
            case Integer i -> String.format(java.util.Locale.ROOT, "%,d", i);
            default -> value.toString();
        };
    }
}
