package io.signalbox.protocol;

import java.util.List;

/** Checks of required fields, for the compact constructors of wire messages. */
final class Fields {
    private Fields() {}

    static <T> T require(T value, String name) {
        if (value == null) throw new IllegalArgumentException("missing field '" + name + "'");
        return value;
    }

    /**
     * An unmodifiable copy of a list field, whose elements must all be present: a {@code null} element
     * in the JSON is refused here with the field's name, where {@link List#copyOf} would throw a
     * {@link NullPointerException} that says nothing to the peer who sent it.
     */
    static <T> List<T> requireElements(List<T> list, String name) {
        require(list, name);
        for (T element : list) {
            if (element == null) throw new IllegalArgumentException("field '" + name + "' holds a null");
        }
        return List.copyOf(list);
    }

    static long requireNonNegative(Long value, String name) {
        require(value, name);
        if (value < 0) throw new IllegalArgumentException("field '" + name + "' must not be negative");
        return value;
    }
}
