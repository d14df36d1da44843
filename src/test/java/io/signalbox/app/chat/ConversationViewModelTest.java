package io.signalbox.app.chat;

import static io.signalbox.app.chat.FakeSignalingService.T0;
import static io.signalbox.app.chat.FakeSignalingService.connection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConversationViewModelTest {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    /** What retry handed to the outbox. */
    final List<MessageItem> resent = new ArrayList<>();
    final ConversationViewModel conversation = new ConversationViewModel(connection("bo-1", "Bo"),
            (message, where) -> {
                resent.add(message);
                where.add(message);
            });

    static MessageItem theirs(String text) {
        return MessageItem.received(MessageItem.Origin.THEIRS, "Bo", "chat", text, true, T0, TIME);
    }

    static MessageItem mine(String text) {
        return MessageItem.outgoing("You", "chat", text, null, true, T0, TIME);
    }

    @Test
    @DisplayName("messages from others count as unread while closed; one's own and notes never do")
    void unread() {
        conversation.add(theirs("one"));
        conversation.add(mine("mine"));
        conversation.add(new NoticeItem(NoticeItem.Kind.PRESENCE, "Bo joined", "09:30:00"));
        assertThat(conversation.unread()).isEqualTo(1);
        conversation.open();
        assertThat(conversation.unread()).isZero();
        conversation.add(theirs("while open"));
        assertThat(conversation.unread()).isZero();
        conversation.close();
        conversation.add(theirs("after"));
        assertThat(conversation.unreadProperty().get()).isEqualTo(1);
    }

    @Test
    @DisplayName("only a failed message is retried (moved to the end) or discarded")
    void retryAndDiscard() {
        MessageItem failed = mine("failed");
        MessageItem fine = mine("fine");
        conversation.add(failed);
        conversation.add(fine);
        conversation.retry(failed);
        conversation.discard(fine);
        assertThat(resent).isEmpty();
        assertThat(conversation.items()).containsExactly(failed, fine);

        failed.markFailed("Not connected: offline");
        conversation.retry(failed);
        assertThat(resent).containsExactly(failed);
        assertThat(conversation.items()).containsExactly(fine, failed);

        failed.markFailed("Not connected: still offline");
        conversation.discard(failed);
        assertThat(conversation.items()).containsExactly(fine);
    }

    @Test
    @DisplayName("it knows whom it is with, whether it has messages, and its rows are read-only outside")
    void basics() {
        assertThat(conversation.isEveryone()).isFalse();
        assertThat(conversation.peer().getConnectionId()).isEqualTo("bo-1");
        conversation.add(new NoticeItem(NoticeItem.Kind.GAP, "2 lost", "09:30:00"));
        assertThat(conversation.hasMessages()).isFalse();
        conversation.add(theirs("hi"));
        assertThat(conversation.hasMessages()).isTrue();
        assertThatThrownBy(() -> conversation.items().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    @DisplayName("a message's delivery reads as words, and its time in the clock's zone")
    void messageWords() {
        MessageItem message = mine("hello");
        assertThat(message.deliveryTextProperty().get()).isEqualTo("Sending…");
        message.markQueued();
        assertThat(message.deliveryTextProperty().get()).isEqualTo("Queued");
        message.markSent();
        assertThat(message.deliveryTextProperty().get()).isEqualTo("Sent");
        message.echoed(T0.plusSeconds(65));
        assertThat(message.timeTextProperty().get()).isEqualTo("09:31:05");
        assertThat(theirs("x").deliveryTextProperty().get()).isEmpty();
    }
}
