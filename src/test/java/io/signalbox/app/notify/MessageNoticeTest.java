package io.signalbox.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What a new-message notification says, without the toolkit. */
class MessageNoticeTest {
    @Test
    @DisplayName("the title names the sender and whether the message was to you alone or to everyone")
    void title() {
        assertThat(MessageNotice.of("Grace", "hi", true)).isEqualTo(new MessageNotice("Grace to you", "hi"));
        assertThat(MessageNotice.of("Grace", "hi", false).title()).isEqualTo("Grace to everyone");
        assertThat(MessageNotice.of(null, "maintenance at 5", false).title()).isEqualTo("The server to everyone");
    }

    @Test
    @DisplayName("a long message is cut to 140 characters with an ellipsis, never inside a surrogate pair")
    void shortened() {
        String emoji = "😀".repeat(200);
        MessageNotice notice = MessageNotice.of("Ada", emoji, true);
        assertThat(notice.text().codePointCount(0, notice.text().length())).isEqualTo(MessageNotice.MAX_TEXT);
        assertThat(notice.text()).endsWith("😀…");
        assertThat(MessageNotice.of("Ada", "x".repeat(140), true).text()).hasSize(140).doesNotContain("…");
    }
}
