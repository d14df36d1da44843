package io.signalbox.protocol;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The signaling contract's limits written a second way, with a regular expression and the JDK's own
 * UTF-8 encoder, so that fuzz tests can hold {@link Limits#checkSignal} and everything that relies on
 * it against an answer that does not share its code.
 */
public final class SignalLimitsOracle {
    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9\\-_~]*");

    private SignalLimitsOracle() {}

    /**
     * The first violation of the contract by {@code type} and {@code data}, in the contract's order
     * (type before data, length before characters), or null when the signal is valid.
     */
    public static WireError violation(String type, String data) {
        if (type == null) return WireError.INVALID_SIGNAL_TYPE;
        if (type.length() > Limits.MAX_TYPE_LENGTH) return WireError.SIGNAL_TYPE_TOO_LONG;
        if (!TYPE.matcher(type).matches()) return WireError.INVALID_SIGNAL_TYPE;
        if (data == null) return WireError.INVALID_SIGNAL_DATA;
        // The encoder writes a lone surrogate as '?', as the socket does: one byte.
        if (data.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_DATA_BYTES) return WireError.SIGNAL_DATA_TOO_LONG;
        return null;
    }
}
