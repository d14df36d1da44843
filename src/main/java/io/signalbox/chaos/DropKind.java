package io.signalbox.chaos;

/** How a chaos run breaks a client's link, through the client's {@link FaultProxy}. */
public enum DropKind {
    /** A TCP reset to both ends, at once. */
    RESET("reset"),
    /** A clean TCP close (FIN) to both ends, without any WebSocket close. */
    CLOSE("close"),
    /** Bytes one way or both are thrown away for a while, then the link is reset. */
    BLACK_HOLE("black hole, then reset");

    private final String label;

    DropKind(String label) {
        this.label = label;
    }

    /** The kind in words, for the report. */
    public String label() {
        return label;
    }
}
