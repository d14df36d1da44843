package io.signalbox.app.chat;

import javafx.css.PseudoClass;

/** The pseudo-classes the views set for chat.css. */
final class Styles {
    /** A participant who left the session. */
    static final PseudoClass GONE = PseudoClass.getPseudoClass("gone");
    /** A count or size over its limit. */
    static final PseudoClass OVER = PseudoClass.getPseudoClass("over");
    /** Input that cannot be sent as it is. */
    static final PseudoClass INVALID = PseudoClass.getPseudoClass("invalid");

    private Styles() {}
}
