package io.signalbox.app.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.app.chat.ComposerViewModel.Submission;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.SimpleStringProperty;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ComposerViewModelTest {
    /** A submission as the composer made it. */
    record Submitted(String type, String text, boolean retry) {}

    /** Every submission, in order. */
    final List<Submitted> submitted = new ArrayList<>();
    /** What the next submission answers. */
    Submission answer = Submission.ACCEPTED;
    final SimpleStringProperty recipient = new SimpleStringProperty("everyone");
    final ComposerViewModel composer = new ComposerViewModel((type, text, retry) -> {
        submitted.add(new Submitted(type, text, retry));
        return answer;
    }, recipient);

    @Test
    @DisplayName("the byte count is live, in bytes of UTF-8, against 8192")
    void byteCount() {
        assertThat(composer.byteCountTextProperty().get()).isEqualTo("0 / 8192 bytes");
        composer.draftProperty().set("héllo €😀");
        assertThat(composer.byteCountProperty().get()).isEqualTo(1 + 2 + 3 + 1 + 3 + 4);
        assertThat(composer.byteCountTextProperty().get()).isEqualTo("14 / 8192 bytes");
        composer.draftProperty().set("a".repeat(8192));
        assertThat(composer.overLimitProperty().get()).isFalse();
        assertThat(composer.canSendProperty().get()).isTrue();
        composer.draftProperty().set("a".repeat(8193));
        assertThat(composer.overLimitProperty().get()).isTrue();
        assertThat(composer.canSendProperty().get()).isFalse();
    }

    @Test
    @DisplayName("an over-limit message is refused with the reason before anything goes out, and stays")
    void overLimit() {
        String text = "é".repeat(4097);
        composer.draftProperty().set(text);
        assertThat(composer.send()).isFalse();
        assertThat(submitted).isEmpty();
        assertThat(composer.draftProperty().get()).isEqualTo(text);
        assertThat(composer.feedbackProperty().get()).isEqualTo(
                "Not sent: the message is 8194 bytes, over the limit of 8192 bytes. Shorten it by 2 bytes.");
        composer.draftProperty().set(text.substring(1));
        assertThat(composer.feedbackProperty().get()).as("an edit clears the refusal").isEmpty();
    }

    @Test
    @DisplayName("an invalid type is refused with the reason before anything goes out")
    void badType() {
        composer.draftProperty().set("hi");
        composer.typeProperty().set("my type");
        assertThat(composer.typeProblemProperty().get()).contains("not a space");
        assertThat(composer.canSendProperty().get()).isFalse();
        assertThat(composer.send()).isFalse();
        assertThat(submitted).isEmpty();
        assertThat(composer.feedbackProperty().get()).startsWith("Not sent: the type may use only");
        composer.typeProperty().set("x".repeat(129));
        assertThat(composer.typeProblemProperty().get()).isEqualTo("the type is 129 characters long; at most 128 are allowed.");
        composer.typeProperty().set("cursor-move_2~");
        assertThat(composer.typeProblemProperty().get()).isEmpty();
    }

    @Test
    @DisplayName("a send with no type typed is a chat message; the retry toggle is on by default and passed on")
    void submits() {
        composer.draftProperty().set("hello\nthere");
        assertThat(composer.send()).isTrue();
        composer.typeProperty().set("cursor");
        composer.retryAfterReconnectProperty().set(false);
        composer.draftProperty().set("{}");
        composer.send();
        assertThat(submitted).containsExactly(new Submitted("chat", "hello\nthere", true), new Submitted("cursor", "{}", false));
    }

    @Test
    @DisplayName("the draft is cleared only when the message was taken; otherwise it stays with the reason")
    void draftSurvives() {
        composer.draftProperty().set("taken");
        composer.send();
        assertThat(composer.draftProperty().get()).isEmpty();

        answer = Submission.WILL_FAIL;
        composer.draftProperty().set("offline");
        assertThat(composer.send()).isFalse();
        assertThat(composer.draftProperty().get()).isEqualTo("offline");
        assertThat(composer.feedbackProperty().get()).contains("offline").contains("Retry after reconnect");

        answer = Submission.refused("you are not in the session any more. Join again to send.");
        assertThat(composer.send()).isFalse();
        assertThat(composer.draftProperty().get()).isEqualTo("offline");
        assertThat(composer.feedbackProperty().get()).isEqualTo("Not sent: you are not in the session any more. Join again to send.");
    }

    @Test
    @DisplayName("a blank draft sends nothing")
    void blank() {
        composer.draftProperty().set("  \n ");
        assertThat(composer.canSendProperty().get()).isFalse();
        assertThat(composer.send()).isFalse();
        assertThat(submitted).isEmpty();
        assertThat(composer.feedbackProperty().get()).isEmpty();
    }

    @Test
    @DisplayName("the prompt names whom the message reaches")
    void prompt() {
        assertThat(composer.promptProperty().get()).startsWith("Message everyone");
        recipient.set("Bo");
        assertThat(composer.promptProperty().get()).startsWith("Message Bo");
    }
}
