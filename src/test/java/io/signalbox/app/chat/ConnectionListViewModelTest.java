package io.signalbox.app.chat;

import static io.signalbox.app.chat.FakeSignalingService.T0;
import static io.signalbox.app.chat.FakeSignalingService.connection;
import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.client.Connection;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConnectionListViewModelTest {
    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    final Connection me = connection("me-000001", "Ada");
    final Connection bo = connection("bo-000002", "Bo");
    final Connection anon = new Connection("7f3a9c21-55aa-4b1e-9d0e-0123456789ab", T0, "");
    /** What retry asked the outbox to send again. */
    final List<MessageItem> resent = new ArrayList<>();
    final ConnectionListViewModel list = new ConnectionListViewModel((message, conversation) -> resent.add(message), "Ada L.");

    static MessageItem from(String name) {
        return MessageItem.received(MessageItem.Origin.THEIRS, name, "chat", "hi", false, T0, TIME);
    }

    @Test
    @DisplayName("Everyone is on top and selected; you come next, then the others in the order they joined")
    void order() {
        list.join(bo, false);
        list.join(anon, false);
        list.join(me, true);
        assertThat(list.participants()).extracting(Participant::name).containsExactly("Everyone", "Ada", "Bo", "7f3a9c21");
        assertThat(list.selected()).isSameAs(list.everyone());
        assertThat(list.everyone().isEveryone()).isTrue();
        assertThat(list.participants().get(1).isSelf()).isTrue();
        assertThat(list.presentCountProperty().get()).isEqualTo(3);
    }

    @Test
    @DisplayName("without a name in its token, you are shown by the name you chose; others by their id's start")
    void selfFallback() {
        Connection nameless = new Connection("0f0f0f0f-self", T0, "");
        assertThat(list.join(nameless, true).name()).isEqualTo("Ada L.");
        assertThat(list.join(me, true).name()).as("the token's name wins").isEqualTo("Ada");
        assertThat(list.join(new Connection("1e1e1e1e-other", T0, ""), false).name()).isEqualTo("1e1e1e1e");
    }

    @Test
    @DisplayName("hearing of someone twice lists them once")
    void idempotent() {
        Participant first = list.join(bo, false);
        assertThat(list.join(connection("bo-000002", "Someone else"), false)).isSameAs(first);
        assertThat(list.participants()).hasSize(2);
    }

    @Test
    @DisplayName("someone who leaves disappears, unless a conversation with them has messages")
    void leaving() {
        Participant bob = list.join(bo, false);
        Participant nameless = list.join(anon, false);
        bob.conversation().add(from("Bo"));
        list.leave(bo);
        list.leave(anon);
        assertThat(list.participants()).containsExactly(list.everyone(), bob);
        assertThat(bob.isPresent()).isFalse();
        assertThat(nameless.isPresent()).isFalse();
        assertThat(list.presentCountProperty().get()).isZero();
        assertThat(list.leave(connection("never-seen", null))).isNull();
    }

    @Test
    @DisplayName("the selected participant stays while on screen after leaving, and goes once the selection moves")
    void selectedLeaves() {
        Participant bob = list.join(bo, false);
        list.select(bob);
        list.leave(bo);
        assertThat(list.participants()).contains(bob);
        list.select(list.everyone());
        assertThat(list.participants()).doesNotContain(bob);
        assertThat(list.find(bo)).isNull();
    }

    @Test
    @DisplayName("selecting opens a conversation, which clears its unread count; the one left counts again")
    void selection() {
        Participant bob = list.join(bo, false);
        bob.conversation().add(from("Bo"));
        assertThat(bob.unreadProperty().get()).isEqualTo(1);
        list.select(bob);
        assertThat(list.selected()).isSameAs(bob);
        assertThat(bob.unreadProperty().get()).isZero();
        list.everyone().conversation().add(from("Cy"));
        assertThat(list.everyone().unreadProperty().get()).isEqualTo(1);
        list.select(null);
        assertThat(list.selected()).isSameAs(bob);
    }

    @Test
    @DisplayName("a disconnection marks everyone gone; rejoining marks them present again")
    void allLeft() {
        list.join(me, true).conversation().add(from("Ada"));
        Participant bob = list.join(bo, false);
        bob.conversation().add(from("Bo"));
        list.allLeft();
        assertThat(list.participants()).filteredOn(Participant::isPresent).containsExactly(list.everyone());
        list.join(bo, false);
        assertThat(bob.isPresent()).isTrue();
    }

    @Test
    @DisplayName("a recipient is named from the list, from its data, or as Everyone")
    void names() {
        list.join(bo, false);
        assertThat(list.nameOf(null)).isEqualTo("Everyone");
        assertThat(list.nameOf(bo)).isEqualTo("Bo");
        assertThat(list.nameOf(connection("x-1", "Zed"))).isEqualTo("Zed");
        assertThat(list.conversationWith(anon)).isSameAs(list.find(anon).conversation());
    }
}
