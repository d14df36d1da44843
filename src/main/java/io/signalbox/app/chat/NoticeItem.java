package io.signalbox.app.chat;

import java.util.Objects;

/**
 * A note between the messages of a conversation.
 *
 * @param kind what it notes, which decides how it looks
 * @param text what it says
 * @param time when, as the clock showed it, formatted {@code HH:mm:ss}
 */
public record NoticeItem(Kind kind, String text, String time) implements ChatItem {
    public NoticeItem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(time, "time");
    }

    /** What a notice is about. */
    public enum Kind {
        /** Someone joined or left. */
        PRESENCE,
        /** Signals addressed to this participant were lost while it was away. */
        GAP,
        /** The session reported a problem, or this participant's link changed for good. */
        PROBLEM
    }
}
