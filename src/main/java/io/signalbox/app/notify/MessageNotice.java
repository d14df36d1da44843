package io.signalbox.app.notify;

import java.util.Objects;

/**
 * What a notification of a new message says: who sent it and to whom in the title, the start of the
 * message below.
 *
 * @param title the sender, and "to you" for a private message or "to everyone"
 * @param text  the message, shortened to {@link #MAX_TEXT} characters
 */
public record MessageNotice(String title, String text) {
    /** Enough to know what it is about; the rest is in the window. */
    public static final int MAX_TEXT = 140;

    public MessageNotice {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(text, "text");
    }

    /** The notice of a message {@code from} someone, {@code direct} when sent to this participant alone. */
    public static MessageNotice of(String from, String message, boolean direct) {
        String sender = from == null || from.isBlank() ? "The server" : from.strip();
        String body = message == null ? "" : message.strip();
        if (body.codePointCount(0, body.length()) > MAX_TEXT) {
            body = body.substring(0, body.offsetByCodePoints(0, MAX_TEXT - 1)) + "…";
        }
        return new MessageNotice(sender + (direct ? " to you" : " to everyone"), body);
    }
}
