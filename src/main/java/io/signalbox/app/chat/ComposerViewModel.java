package io.signalbox.app.chat;

import io.signalbox.protocol.Limits;
import io.signalbox.protocol.WireError;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.IntegerBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;

/**
 * The composer: the draft, its live size against the limit, the signal type, and whether to wait for
 * a reconnection. A send that breaks the limits is refused with the reason before anything goes out,
 * and the draft is cleared only once the message was taken for sending or queueing: nothing typed is
 * lost.
 */
public final class ComposerViewModel {

    /** Takes a message for the conversation on screen; the ChatViewModel. */
    interface Submitter {
        Submission submit(String type, String text, boolean retryAfterReconnect);
    }

    /**
     * What became of a submitted message.
     *
     * @param outcome what happened
     * @param reason  why it was refused, in words; empty otherwise
     */
    record Submission(Outcome outcome, String reason) {
        static final Submission ACCEPTED = new Submission(Outcome.ACCEPTED, "");
        static final Submission WILL_FAIL = new Submission(Outcome.WILL_FAIL, "");

        Submission {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(reason, "reason");
        }

        static Submission refused(String reason) {
            return new Submission(Outcome.REFUSED, reason);
        }
    }

    /** What became of a submitted message. */
    enum Outcome {
        /** Sent, or queued for the reconnection: the draft has done its job. */
        ACCEPTED,
        /**
         * Tried, but it cannot go out now (offline, and asked not to wait): the message shows the
         * failure, and the draft stays for another try.
         */
        WILL_FAIL,
        /** Not tried at all: the reason says why, and the draft stays. */
        REFUSED
    }

    private final Submitter submitter;

    /** What is typed; bound both ways to the text area. */
    private final StringProperty draft = new SimpleStringProperty(this, "draft", "");
    /** The signal type to send, empty for "chat"; bound both ways to the type field. */
    private final StringProperty type = new SimpleStringProperty(this, "type", "");
    /** Whether a message sent while reconnecting waits for the link; bound both ways to the toggle. */
    private final BooleanProperty retryAfterReconnect = new SimpleBooleanProperty(this, "retryAfterReconnect", true);
    /** Why the last send did not go out, in words; empty after a send that went out, and after any edit. */
    private final ReadOnlyStringWrapper feedback = new ReadOnlyStringWrapper(this, "feedback", "");

    private final IntegerBinding byteCount = Bindings.createIntegerBinding(() -> Limits.utf8Length(draft.get()), draft);
    private final StringBinding byteCountText = Bindings.createStringBinding(
            () -> byteCount.get() + " / " + Limits.MAX_DATA_BYTES + " bytes", byteCount);
    private final BooleanBinding overLimit = byteCount.greaterThan(Limits.MAX_DATA_BYTES);
    private final StringBinding typeProblem = Bindings.createStringBinding(() -> typeProblem(type.get()), type);
    private final BooleanBinding canSend = Bindings.createBooleanBinding(
            () -> !draft.get().isBlank() && !overLimit.get() && typeProblem.get().isEmpty(), draft, overLimit, typeProblem);
    private final StringBinding prompt;

    /**
     * @param recipient whom the conversation on screen is with, as the prompt names them
     *                  ("everyone", "Bo")
     */
    ComposerViewModel(Submitter submitter, ObservableStringValue recipient) {
        this.submitter = Objects.requireNonNull(submitter, "submitter");
        this.prompt = Bindings.createStringBinding(
                () -> "Message " + recipient.get() + "  (Enter sends, Shift+Enter adds a line)", recipient);
        draft.addListener((obs, old, now) -> feedback.set(""));
        type.addListener((obs, old, now) -> feedback.set(""));
    }

    public StringProperty draftProperty() {
        return draft;
    }

    public StringProperty typeProperty() {
        return type;
    }

    public BooleanProperty retryAfterReconnectProperty() {
        return retryAfterReconnect;
    }

    /** The draft's size in bytes of UTF-8, as the limit counts it. */
    public IntegerBinding byteCountProperty() {
        return byteCount;
    }

    /** "1234 / 8192 bytes". */
    public StringBinding byteCountTextProperty() {
        return byteCountText;
    }

    /** Whether the draft is over the limit, so that the count shows it. */
    public BooleanBinding overLimitProperty() {
        return overLimit;
    }

    /** What is wrong with the type, in words; empty when it is fine. */
    public StringBinding typeProblemProperty() {
        return typeProblem;
    }

    /** Whether a send would go out: there is something to say, within the limits. */
    public BooleanBinding canSendProperty() {
        return canSend;
    }

    /** Why the last send did not go out; empty when it did, or once the draft was edited. */
    public ReadOnlyStringProperty feedbackProperty() {
        return feedback.getReadOnlyProperty();
    }

    /** The composer's placeholder: whom the message will reach. */
    public StringBinding promptProperty() {
        return prompt;
    }

    /** The type a send uses: the typed one, or "chat" when none is typed. */
    public String effectiveType() {
        return type.get().isEmpty() ? MessageItem.CHAT_TYPE : type.get();
    }

    /**
     * Sends the draft to the conversation on screen. Refuses, with the reason in {@link
     * #feedbackProperty()}, a draft over the limit or a bad type, before anything goes out. Clears the
     * draft only when the message was sent or queued.
     *
     * @return whether the message went out (or was queued)
     */
    public boolean send() {
        String text = draft.get();
        if (text.isBlank()) return false;
        String problem = problemWith(text);
        if (problem != null) {
            feedback.set("Not sent: " + problem);
            return false;
        }
        Submission submission = submitter.submit(effectiveType(), text, retryAfterReconnect.get());
        switch (submission.outcome()) {
            case ACCEPTED -> draft.set("");
            case WILL_FAIL -> feedback.set("Not sent: you are offline and \"Retry after reconnect\" is off. "
                    + "Your text is still here.");
            case REFUSED -> feedback.set("Not sent: " + submission.reason());
        }
        return submission.outcome() == Outcome.ACCEPTED;
    }

    private String problemWith(String text) {
        String typeWords = typeProblem.get();
        if (!typeWords.isEmpty()) return typeWords;
        int bytes = Limits.utf8Length(text);
        if (bytes > Limits.MAX_DATA_BYTES) {
            int over = bytes - Limits.MAX_DATA_BYTES;
            return "the message is " + bytes + " bytes, over the limit of " + Limits.MAX_DATA_BYTES
                    + " bytes. Shorten it by " + over + (over == 1 ? " byte." : " bytes.");
        }
        return null;
    }

    /** What is wrong with a typed signal type, by the protocol's own check; empty when nothing is. */
    static String typeProblem(String type) {
        WireError error = Limits.checkSignal(type, "");
        if (error == null) return "";
        if (error == WireError.SIGNAL_TYPE_TOO_LONG) {
            return "the type is " + type.length() + " characters long; at most " + Limits.MAX_TYPE_LENGTH
                    + " are allowed.";
        }
        for (int i = 0; i < type.length(); i++) {
            char c = type.charAt(i);
            if (!Limits.isTypeChar(c)) {
                return "the type may use only letters A-Z and a-z, digits, '-', '_' and '~' (not "
                        + (Character.isWhitespace(c) ? "a space" : "'" + c + "'") + ").";
            }
        }
        return "the type is not valid.";
    }
}
