package io.signalbox.protocol;

/** A frame that could not be decoded into a message, with the error to answer it with. */
public final class ProtocolException extends Exception {
    private final WireError error;

    public ProtocolException(WireError error, String message) {
        super(message);
        this.error = error;
    }

    public WireError error() {
        return error;
    }
}
