package io.signalbox.app.chat;

/** Where a message stands: one this participant sent, on its way, or one that arrived. */
public enum Delivery {
    /** Waiting in the SDK's queue for the link to come back. */
    QUEUED,
    /** Handed to the server; its acknowledgement has not come yet. */
    SENDING,
    /** The server acknowledged it. */
    SENT,
    /** It did not go out, or its outcome is unknown; the message says why. */
    FAILED,
    /** Someone else's message (or the server's), as it arrived. */
    RECEIVED
}
