package io.signalbox.app.chat;

import static io.signalbox.app.chat.FakeSignalingService.T0;
import static io.signalbox.app.chat.FakeSignalingService.connection;
import static io.signalbox.app.chat.FakeSignalingService.resumption;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signalbox.app.JoinTarget;
import io.signalbox.app.notify.MessageNotice;
import io.signalbox.app.notify.Notifier;
import io.signalbox.app.service.HostedSession;
import io.signalbox.client.Connection;
import io.signalbox.client.DisconnectReason;
import io.signalbox.client.ErrorCode;
import io.signalbox.client.FakeClock;
import io.signalbox.client.QueuedSignal;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The main window's logic, without a toolkit: a fake service, a fake clock, work run at once. */
class ChatViewModelTest {
    static final Connection ADA = connection("ada-0001-connection", "Ada");
    static final Connection BO = connection("bo-00002-connection", "Bo");
    static final Connection CY = connection("cy-00003-connection", "Cy");
    static final JoinTarget TARGET = new JoinTarget(URI.create("http://127.0.0.1:7400"), "1_MX40NjExMjIzM35-session", "token-ada", "Ada");

    final FakeClock clock = new FakeClock(T0);
    final FakeSignalingService service = new FakeSignalingService();
    final FakeWindows windows = new FakeWindows();
    /** Background work the ViewModel handed over, run when the test says. */
    final List<Runnable> background = new ArrayList<>();
    /** The notifications the ViewModel asked for, in order. */
    final List<MessageNotice> notices = new ArrayList<>();
    final ChatViewModel vm = new ChatViewModel(service, TARGET, null, windows, notices::add, clock, background::add);

    /** Ada joins, with Bo and Cy already in the session. */
    void joined() {
        vm.connect();
        service.join(ADA, BO, CY);
    }

    ConversationViewModel everyone() {
        return vm.connections().everyone().conversation();
    }

    Participant entry(String name) {
        return vm.connections().participants().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    List<MessageItem> messages(ConversationViewModel conversation) {
        return conversation.items().stream().filter(MessageItem.class::isInstance).map(MessageItem.class::cast).toList();
    }

    MessageItem say(String text) {
        vm.composer().draftProperty().set(text);
        vm.composer().send();
        ConversationViewModel on = vm.connections().selected().conversation();
        return messages(on).getLast();
    }

    @Nested
    class Joining {
        @Test
        @DisplayName("joining connects with the target's token and lists everyone, you marked, Everyone on top")
        void lists() {
            joined();
            assertThat(service.connects).containsExactly("token-ada");
            assertThat(vm.link().state()).isEqualTo(LinkState.CONNECTED);
            assertThat(vm.connections().participants()).extracting(Participant::name).containsExactly("Everyone", "Ada", "Bo", "Cy");
            assertThat(entry("Ada").isSelf()).isTrue();
            assertThat(vm.selfNameProperty().get()).isEqualTo("Ada");
            assertThat(vm.windowTitleProperty().get()).isEqualTo("Signalbox · Ada");
            assertThat(vm.subtitleProperty().get()).startsWith("3 people · session ");
        }

        @Test
        @DisplayName("the people already there are not announced; later joins and leaves are")
        void presenceNotes() {
            joined();
            assertThat(everyone().items()).isEmpty();
            Connection dee = connection("dee-0004", null);
            service.arrives(dee);
            service.leaves(BO, DisconnectReason.NETWORK_DISCONNECTED);
            assertThat(everyone().items()).extracting(item -> ((NoticeItem) item).text())
                    .containsExactly("dee-0004 joined", "Bo left (connection lost)");
            assertThat(vm.connections().participants()).extracting(Participant::name).containsExactly("Everyone", "Ada", "Cy", "dee-0004");
        }

        @Test
        @DisplayName("a refused join says why in words, and sending is refused until joined")
        void joinFails() {
            vm.connect();
            assertThat(vm.link().statusTextProperty().get()).isEqualTo("Connecting…");
            vm.composer().draftProperty().set("early");
            assertThat(vm.composer().send()).isFalse();
            assertThat(vm.composer().feedbackProperty().get()).contains("not in the session yet");

            service.connectFuture.completeExceptionally(new io.signalbox.client.SignalingException(
                    ErrorCode.AUTHENTICATION_FAILED, "the token has expired"));
            assertThat(vm.link().state()).isEqualTo(LinkState.DISCONNECTED);
            assertThat(vm.link().statusTextProperty().get())
                    .isEqualTo("Disconnected: Could not join. Invitation refused: the token has expired");
            assertThat(vm.composer().draftProperty().get()).isEqualTo("early");
            assertThat(service.sends).isEmpty();
        }

        @Test
        @DisplayName("after the session ended, joining again makes a new connection and keeps the conversation")
        void rejoin() {
            joined();
            service.broadcast(BO, "chat", "before", T0);
            service.disconnected(DisconnectReason.SERVER_CLOSED, "the host ended the session");
            assertThat(vm.link().canRejoinProperty().get()).isTrue();
            vm.rejoin();
            assertThat(service.connects).hasSize(2);
            Connection ada2 = connection("ada-second", "Ada");
            service.join(ada2, CY);
            assertThat(vm.link().state()).isEqualTo(LinkState.CONNECTED);
            assertThat(messages(everyone())).extracting(MessageItem::text).containsExactly("before");
            assertThat(vm.connections().participants()).filteredOn(Participant::isPresent)
                    .extracting(Participant::name).containsExactly("Everyone", "Ada", "Cy");
        }
    }

    @Nested
    class Receiving {
        @Test
        @DisplayName("a signal to everyone goes to Everyone, with its sender's name and the server's time")
        void toEveryone() {
            joined();
            service.broadcast(BO, "chat", "hello all", T0.plusSeconds(5));
            MessageItem message = messages(everyone()).getFirst();
            assertThat(message.sender()).isEqualTo("Bo");
            assertThat(message.text()).isEqualTo("hello all");
            assertThat(message.timeTextProperty().get()).isEqualTo("09:30:05");
            assertThat(message.isDirect()).isFalse();
            assertThat(message.deliveryTextProperty().get()).isEmpty();
            assertThat(messages(entry("Bo").conversation())).isEmpty();
        }

        @Test
        @DisplayName("a private signal goes to the sender's conversation only, counted unread there")
        void direct() {
            joined();
            service.direct(CY, "chat", "psst", T0);
            assertThat(messages(entry("Cy").conversation())).extracting(MessageItem::text).containsExactly("psst");
            assertThat(messages(entry("Cy").conversation()).getFirst().isDirect()).isTrue();
            assertThat(everyone().items()).isEmpty();
            assertThat(entry("Cy").unreadProperty().get()).isEqualTo(1);
            assertThat(entry("Everyone").unreadProperty().get()).isZero();
        }

        @Test
        @DisplayName("a signal from the server is marked as the server's and goes to Everyone")
        void fromServer() {
            joined();
            service.broadcast(null, "chat", "maintenance at ten", T0);
            service.direct(null, "notice", "just for you", T0);
            assertThat(messages(everyone())).extracting(MessageItem::sender).containsExactly("Server", "Server");
            assertThat(messages(everyone())).allMatch(MessageItem::isFromServer);
            assertThat(messages(everyone()).get(1).isDirect()).isTrue();
        }

        @Test
        @DisplayName("a signal of another type than chat is shown as such")
        void otherType() {
            joined();
            service.broadcast(BO, "cursor", "{\"x\":1}", T0);
            MessageItem message = messages(everyone()).getFirst();
            assertThat(message.isChat()).isFalse();
            assertThat(message.type()).isEqualTo("cursor");
        }

        @Test
        @DisplayName("unread counts grow while a conversation is not on screen and clear when it is opened")
        void unread() {
            joined();
            vm.connections().select(entry("Bo"));
            service.broadcast(CY, "chat", "one", T0);
            service.broadcast(CY, "chat", "two", T0);
            service.direct(BO, "chat", "seen at once", T0);
            assertThat(entry("Everyone").unreadProperty().get()).isEqualTo(2);
            assertThat(entry("Bo").unreadProperty().get()).isZero();
            vm.connections().select(entry("Everyone"));
            assertThat(entry("Everyone").unreadProperty().get()).isZero();
        }

        @Test
        @DisplayName("a signal from someone the list never heard of opens a conversation with them")
        void unknownSender() {
            joined();
            Connection stranger = connection("stranger-99", null);
            service.direct(stranger, "chat", "hi", T0);
            assertThat(entry("stranger").conversation().items()).hasSize(1);
        }

        @Test
        @DisplayName("ten thousand messages go in quickly")
        void longHistory() {
            joined();
            long start = System.nanoTime();
            for (int i = 0; i < 10_000; i++) service.broadcast(BO, "chat", "message " + i, T0.plusMillis(i));
            assertThat(everyone().items()).hasSize(10_000);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        }
    }

    @Nested
    class Notifying {
        @Test
        @DisplayName("a private message from Bo notifies \"Bo to you\" with its text")
        void direct() {
            joined();
            service.direct(BO, "chat", "psst", T0);
            assertThat(notices).containsExactly(new MessageNotice("Bo to you", "psst"));
        }

        @Test
        @DisplayName("a message to everyone from someone else notifies \"to everyone\"")
        void toEveryone() {
            joined();
            service.broadcast(CY, "chat", "hello all", T0);
            assertThat(notices).containsExactly(new MessageNotice("Cy to everyone", "hello all"));
        }

        @Test
        @DisplayName("your own message coming back from the server notifies nothing, matched or not")
        void ownEcho() {
            joined();
            say("hi all");
            service.broadcast(ADA, "chat", "hi all", T0);
            service.broadcast(ADA, "chat", "sent from elsewhere", T0);
            service.direct(ADA, "chat", "note to self", T0);
            assertThat(messages(everyone())).extracting(MessageItem::text).containsExactly("hi all", "sent from elsewhere");
            assertThat(notices).isEmpty();
        }

        @Test
        @DisplayName("a signal from the server notifies as \"Server\"")
        void fromServer() {
            joined();
            service.broadcast(null, "chat", "maintenance at ten", T0);
            service.direct(null, "notice", "just for you", T0);
            assertThat(notices).containsExactly(new MessageNotice("Server to everyone", "maintenance at ten"),
                    new MessageNotice("Server to you", "just for you"));
        }
    }

    @Nested
    class Sending {
        @Test
        @DisplayName("a message to everyone shows at once as sending, then sent on the acknowledgement")
        void toEveryone() {
            joined();
            MessageItem message = say("hi all");
            assertThat(service.lastSend().type()).isEqualTo("chat");
            assertThat(service.lastSend().to()).isNull();
            assertThat(service.lastSend().retryAfterReconnect()).isTrue();
            assertThat(message.isMine()).isTrue();
            assertThat(message.sender()).isEqualTo("You");
            assertThat(message.delivery()).isEqualTo(Delivery.SENDING);
            assertThat(vm.composer().draftProperty().get()).isEmpty();
            service.lastSend().ack();
            assertThat(message.delivery()).isEqualTo(Delivery.SENT);
            assertThat(message.deliveryTextProperty().get()).isEqualTo("Sent");
        }

        @Test
        @DisplayName("the server's copy of one's own message to everyone never makes a second row; it brings the server's time")
        void echoShownOnce() {
            joined();
            clock.set(T0.plusSeconds(1));
            MessageItem first = say("same words");
            MessageItem second = say("same words");
            service.broadcast(ADA, "chat", "same words", T0.plusSeconds(7));
            assertThat(messages(everyone())).containsExactly(first, second);
            assertThat(first.timeTextProperty().get()).isEqualTo("09:30:07");
            assertThat(second.timeTextProperty().get()).isEqualTo("09:30:01");
            assertThat(first.delivery()).as("delivery follows the acknowledgement, not the copy").isEqualTo(Delivery.SENDING);
            service.sends.get(0).ack();
            service.broadcast(ADA, "chat", "same words", T0.plusSeconds(8));
            service.sends.get(1).ack();
            assertThat(messages(everyone())).containsExactly(first, second);
            assertThat(messages(everyone())).extracting(MessageItem::delivery).containsOnly(Delivery.SENT);
        }

        @Test
        @DisplayName("a copy of one's own signal that matches nothing sent here is shown rather than lost")
        void strayEcho() {
            joined();
            service.broadcast(ADA, "chat", "sent elsewhere", T0);
            assertThat(messages(everyone())).singleElement().satisfies(m -> {
                assertThat(m.isMine()).isTrue();
                assertThat(m.delivery()).isEqualTo(Delivery.RECEIVED);
            });
        }

        @Test
        @DisplayName("a private message goes to the selected participant and shows in their conversation")
        void direct() {
            joined();
            vm.connections().select(entry("Bo"));
            assertThat(vm.composer().promptProperty().get()).startsWith("Message Bo");
            MessageItem message = say("just you");
            assertThat(service.lastSend().to()).isEqualTo(BO);
            assertThat(messages(entry("Bo").conversation())).containsExactly(message);
            assertThat(message.isDirect()).isTrue();
            assertThat(everyone().items()).isEmpty();
        }

        @Test
        @DisplayName("the typed type is sent; an empty type sends chat")
        void type() {
            joined();
            vm.composer().typeProperty().set("cursor");
            MessageItem message = say("{\"x\":3}");
            assertThat(service.lastSend().type()).isEqualTo("cursor");
            assertThat(message.isChat()).isFalse();
        }

        @Test
        @DisplayName("a send that fails shows the reason in words, and may be retried or discarded")
        void failure() {
            joined();
            MessageItem message = say("oops");
            service.lastSend().fail(ErrorCode.NOT_PERMITTED, "this connection's role may not send signals");
            assertThat(message.delivery()).isEqualTo(Delivery.FAILED);
            assertThat(message.deliveryTextProperty().get())
                    .isEqualTo("Failed: Not allowed: this connection's role may not send signals");
            assertThat(message.failedProperty().get()).isTrue();

            MessageItem later = say("later");
            clock.set(T0.plusSeconds(30));
            everyone().retry(message);
            assertThat(service.sends).hasSize(3);
            assertThat(service.lastSend().data()).isEqualTo("oops");
            assertThat(messages(everyone())).as("a retried message moves to the end").containsExactly(later, message);
            assertThat(message.delivery()).isEqualTo(Delivery.SENDING);
            assertThat(message.timeTextProperty().get()).isEqualTo("09:30:30");
            service.lastSend().fail(ErrorCode.CONNECTION_NOT_FOUND, "gone");
            everyone().discard(message);
            assertThat(messages(everyone())).containsExactly(later);
        }

        @Test
        @DisplayName("only a failed message may be retried or discarded")
        void onlyFailed() {
            joined();
            MessageItem message = say("fine");
            everyone().retry(message);
            everyone().discard(message);
            assertThat(service.sends).hasSize(1);
            assertThat(messages(everyone())).containsExactly(message);
        }

        @Test
        @DisplayName("a message to someone who left is refused before anything goes out, and the draft stays")
        void toSomeoneGone() {
            joined();
            vm.connections().select(entry("Bo"));
            service.leaves(BO, DisconnectReason.CLIENT_DISCONNECTED);
            assertThat(entry("Bo").isPresent()).isFalse();
            vm.composer().draftProperty().set("are you there?");
            assertThat(vm.composer().send()).isFalse();
            assertThat(vm.composer().feedbackProperty().get()).isEqualTo(
                    "Not sent: Bo has left the session, so the message cannot reach them.");
            assertThat(vm.composer().draftProperty().get()).isEqualTo("are you there?");
            assertThat(service.sends).isEmpty();
        }

        @Test
        @DisplayName("if the server's copy came back, a lost acknowledgement does not make the message fail")
        void echoProvesDelivery() {
            joined();
            MessageItem message = say("made it");
            service.broadcast(ADA, "chat", "made it", T0);
            service.lastSend().fail(ErrorCode.DELIVERY_UNKNOWN, "the connection ended");
            assertThat(message.delivery()).isEqualTo(Delivery.SENT);
        }
    }

    @Nested
    class Reconnecting {
        @Test
        @DisplayName("while reconnecting a message is queued, counted in the indicator, and sent once after reconnection")
        void queued() {
            joined();
            service.reconnecting();
            service.attempt(1, T0.plusSeconds(2));
            assertThat(vm.link().statusTextProperty().get()).isEqualTo("Reconnecting: attempt 1, next try in 2 s");
            MessageItem one = say("one");
            MessageItem two = say("two");
            assertThat(vm.composer().draftProperty().get()).as("queued counts as taken").isEmpty();
            assertThat(one.delivery()).isEqualTo(Delivery.QUEUED);
            service.queue(0, 1);
            assertThat(vm.link().queuedTextProperty().get()).isEqualTo("2 queued");
            assertThat(vm.link().queued()).extracting(QueuedRow::recipient).containsOnly("Everyone");

            service.reconnected(resumption(2, 0, 0));
            assertThat(vm.link().queuedCountProperty().get()).isZero();
            assertThat(vm.link().state()).isEqualTo(LinkState.CONNECTED);
            assertThat(vm.link().recoveredTextProperty().get()).isEqualTo("Reconnected: sent 2 queued");
            assertThat(one.delivery()).isEqualTo(Delivery.SENDING);
            service.sends.forEach(FakeSignalingService.Send::ack);
            service.broadcast(ADA, "chat", "one", T0);
            service.broadcast(ADA, "chat", "two", T0);
            assertThat(messages(everyone())).containsExactly(one, two);
            assertThat(two.delivery()).isEqualTo(Delivery.SENT);
        }

        @Test
        @DisplayName("a message sent just as the link dropped shows as queued once the queue reports it")
        void queuedBeforeTheNews() {
            joined();
            MessageItem message = say("racing the drop");
            assertThat(message.delivery()).isEqualTo(Delivery.SENDING);
            service.queue(0);
            assertThat(message.delivery()).isEqualTo(Delivery.QUEUED);
        }

        @Test
        @DisplayName("with retry off, a message sent while reconnecting fails visibly and the draft stays")
        void retryOff() {
            joined();
            service.reconnecting();
            vm.composer().retryAfterReconnectProperty().set(false);
            vm.composer().draftProperty().set("now or never");
            assertThat(vm.composer().send()).isFalse();
            assertThat(service.lastSend().retryAfterReconnect()).isFalse();
            MessageItem message = messages(everyone()).getFirst();
            assertThat(vm.composer().draftProperty().get()).isEqualTo("now or never");
            assertThat(vm.composer().feedbackProperty().get()).contains("Retry after reconnect");
            service.lastSend().fail(ErrorCode.NOT_CONNECTED,
                    "cannot send: the session is reconnecting, and the signal asked not to be retried");
            assertThat(message.deliveryTextProperty().get()).isEqualTo(
                    "Failed: Not connected: cannot send: the session is reconnecting, and the signal asked not to be retried");
        }

        @Test
        @DisplayName("cancelling a queued signal asks the service, and its message then shows it cancelled")
        void cancel() {
            joined();
            service.reconnecting();
            MessageItem message = say("never mind");
            List<QueuedSignal> queue = service.queue(0);
            assertThat(vm.link().cancel(vm.link().queued().getFirst())).isTrue();
            assertThat(service.cancelled).containsExactly(queue.getFirst());
            service.lastSend().fail(ErrorCode.CANCELLED, "the queued signal was cancelled before it was sent");
            service.queue();
            assertThat(message.deliveryTextProperty().get()).startsWith("Failed: Cancelled");
            assertThat(vm.link().queuedCountProperty().get()).isZero();
        }

        @Test
        @DisplayName("missed signals are counted in the indicator and marked as a gap in the conversations")
        void missed() {
            joined();
            service.direct(BO, "chat", "before the drop", T0);
            service.reconnecting();
            service.reconnected(resumption(3, 5, 12));
            assertThat(vm.link().recoveredTextProperty().get())
                    .isEqualTo("Reconnected: sent 3 queued, received 5 missed · 12 messages were lost while away");
            assertThat(everyone().items()).last().isEqualTo(
                    new NoticeItem(NoticeItem.Kind.GAP, "12 messages sent while you were away could not be recovered", "09:30:00"));
            assertThat(entry("Bo").conversation().items()).last().isInstanceOf(NoticeItem.class);
            assertThat(entry("Cy").conversation().items()).as("no history, no gap to mark").isEmpty();
        }

        @Test
        @DisplayName("an error the session reports is noted in words")
        void error() {
            joined();
            service.error(ErrorCode.MALFORMED_MESSAGE, "the server could not read a message");
            assertThat(everyone().items()).singleElement().extracting(item -> ((NoticeItem) item).text())
                    .isEqualTo("Server error: the server could not read a message");
        }
    }

    @Nested
    class Disconnected {
        @Test
        @DisplayName("the end of the session is shown with the server's words, everyone is gone, sending is refused")
        void hostEnded() {
            joined();
            service.broadcast(BO, "chat", "bye", T0);
            service.disconnected(DisconnectReason.SERVER_CLOSED, "the host ended the session");
            assertThat(vm.link().statusTextProperty().get()).isEqualTo("Disconnected: The host ended the session");
            assertThat(vm.connections().participants()).filteredOn(Participant::isPresent).extracting(Participant::name)
                    .containsExactly("Everyone");
            assertThat(everyone().items()).last().extracting(item -> ((NoticeItem) item).text())
                    .isEqualTo("Disconnected: The host ended the session");
            vm.composer().draftProperty().set("hello?");
            assertThat(vm.composer().send()).isFalse();
            assertThat(vm.composer().feedbackProperty().get()).contains("not in the session any more");
            assertThat(vm.composer().draftProperty().get()).isEqualTo("hello?");
        }

        @Test
        @DisplayName("a failed message retried after the session ended fails again without a send")
        void retryWhileDisconnected() {
            joined();
            MessageItem message = say("late");
            service.lastSend().fail(ErrorCode.DELIVERY_UNKNOWN, "the connection ended");
            service.disconnected(DisconnectReason.NETWORK_DISCONNECTED, "the reconnection window of 60 s ran out");
            assertThat(vm.link().statusTextProperty().get()).isEqualTo(
                    "Disconnected: The connection was lost and could not be restored (the reconnection window of 60 s ran out)");
            everyone().retry(message);
            assertThat(service.sends).hasSize(1);
            assertThat(message.deliveryTextProperty().get()).contains("Join again");
        }
    }

    @Nested
    class Window {
        @Test
        @DisplayName("a guest's window just leaves when closed, and ends nothing")
        void guestCloses() {
            joined();
            assertThat(vm.isHosting()).isFalse();
            assertThat(vm.title()).isEqualTo("Session on 127.0.0.1:7400");
            assertThat(vm.close()).isTrue();
            assertThat(service.disconnects).isEqualTo(1);
            assertThat(windows.calls).isEmpty();
            assertThat(background).isEmpty();
            service.disconnected(DisconnectReason.CLIENT_DISCONNECTED, null);
            assertThat(everyone().items()).as("leaving on purpose is not news").isEmpty();
        }

        @Test
        @DisplayName("the host's window asks first; declined, nothing happens; confirmed, it leaves and stops the server")
        void hostCloses() {
            HostedSession hosting = HostedSession.start(false);
            try {
                ChatViewModel host = new ChatViewModel(service, TARGET, hosting, windows, Notifier.NONE, clock,
                        background::add);
                assertThat(host.isHosting()).isTrue();
                assertThat(host.title()).isEqualTo("Your session");
                host.invite();
                host.openParticipant();
                host.openLogFolder();
                assertThat(windows.calls).containsExactly("showInvite", "openParticipant", "openLogFolder");

                windows.confirmEnd = false;
                assertThat(host.close()).isFalse();
                assertThat(service.disconnects).isZero();

                windows.confirmEnd = true;
                assertThat(host.close()).isTrue();
                assertThat(service.disconnects).isEqualTo(1);
                assertThat(background).as("the server stops off the UI thread").hasSize(1);
                background.getFirst().run();
                assertThatThrownBy(() -> new Socket("127.0.0.1", hosting.url().getPort()).close())
                        .as("the hosted server stopped").isInstanceOf(IOException.class);
            } finally {
                hosting.close();
            }
        }
    }
}
