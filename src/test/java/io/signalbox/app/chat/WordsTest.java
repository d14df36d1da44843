package io.signalbox.app.chat;

import static io.signalbox.app.chat.FakeSignalingService.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.client.Connection;
import io.signalbox.client.DisconnectReason;
import io.signalbox.client.ErrorCode;
import io.signalbox.client.SignalingException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Names and failures, in the words the window shows. */
class WordsTest {

    @Test
    @DisplayName("a display name comes from the form-encoded name field, else the id's first 8 characters")
    void names() {
        assertThat(DisplayNames.of(new Connection("c-1", T0, "name=Ada+Lovelace&role=host"))).isEqualTo("Ada Lovelace");
        assertThat(DisplayNames.of(new Connection("c-1", T0, "role=x&name=Z%C3%A9"))).isEqualTo("Zé");
        assertThat(DisplayNames.of(new Connection("c-1", T0, "name=100%"))).isEqualTo("100%");
        assertThat(DisplayNames.of(new Connection("0123456789abcdef", T0, "name=%20"))).isEqualTo("01234567");
        assertThat(DisplayNames.of(new Connection("0123456789abcdef", T0, ""))).isEqualTo("01234567");
        assertThat(DisplayNames.of(new Connection("short", T0, "just text"))).isEqualTo("short");
    }

    @Test
    @DisplayName("a failure reads as a headline and the SDK's words, never a stack trace")
    void failures() {
        assertThat(Failures.describe(new CompletionException(new SignalingException(ErrorCode.QUEUE_FULL, "1000 wait"))))
                .isEqualTo("Too many waiting: 1000 wait");
        assertThat(Failures.describe(new IllegalStateException())).isEqualTo("Something went wrong: IllegalStateException");
        assertThat(Failures.describe(new RuntimeException("boom"))).isEqualTo("Something went wrong: boom");
    }

    @Test
    @DisplayName("the end of a session reads as why, with the server's words when it gave some")
    void disconnections() {
        assertThat(Failures.disconnected(DisconnectReason.SERVER_CLOSED, "the host ended the session"))
                .isEqualTo("The host ended the session");
        assertThat(Failures.disconnected(DisconnectReason.SERVER_CLOSED, null)).isEqualTo("The server ended the connection");
        assertThat(Failures.disconnected(DisconnectReason.FORCE_DISCONNECTED, "spamming"))
                .isEqualTo("You were removed from the session: Spamming");
        assertThat(Failures.disconnected(DisconnectReason.CLIENT_DISCONNECTED, null)).isEqualTo("You left the session");
        assertThat(Failures.departure(DisconnectReason.FORCE_DISCONNECTED)).isEqualTo("removed by a moderator");
    }
}
