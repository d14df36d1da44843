package io.signalbox.protocol;

/** Checks of required fields, for the compact constructors of wire messages. */
final class Fields {
    private Fields() {}

    static <T> T require(T value, String name) {
        if (value == null) throw new IllegalArgumentException("missing field '" + name + "'");
        return value;
    }

    static long requireNonNegative(Long value, String name) {
        require(value, name);
        if (value < 0) throw new IllegalArgumentException("field '" + name + "' must not be negative");
        return value;
    }
}
