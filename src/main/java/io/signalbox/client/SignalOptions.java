package io.signalbox.client;

/**
 * How to send one signal. Build with {@link #builder()}; {@link #defaults()} is what
 * {@link Session#sendSignal(String, String)} uses.
 *
 * @param retryAfterReconnect whether a signal sent while the session is reconnecting is queued and
 *                            sent once reconnected ({@code true}, the default), rather than failing at
 *                            once with {@link ErrorCode#NOT_CONNECTED}
 */
public record SignalOptions(boolean retryAfterReconnect) {
    private static final SignalOptions DEFAULTS = new SignalOptions(true);

    /** The options a send without options uses: retry after reconnect. */
    public static SignalOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the {@linkplain #defaults() defaults}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builds {@link SignalOptions}. Not thread-safe; build once and share the result. */
    public static final class Builder {
        /** Whether to queue while reconnecting; set by {@link #retryAfterReconnect(boolean)}. */
        private boolean retryAfterReconnect = true;

        private Builder() {}

        /**
         * Whether a signal sent while reconnecting waits for the reconnection ({@code true}, the
         * default) or fails at once with {@link ErrorCode#NOT_CONNECTED}.
         */
        public Builder retryAfterReconnect(boolean retryAfterReconnect) {
            this.retryAfterReconnect = retryAfterReconnect;
            return this;
        }

        /** The options. */
        public SignalOptions build() {
            return new SignalOptions(retryAfterReconnect);
        }
    }
}
