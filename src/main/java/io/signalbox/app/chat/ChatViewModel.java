package io.signalbox.app.chat;

import io.signalbox.app.JoinTarget;
import io.signalbox.app.Windows;
import io.signalbox.app.chat.ComposerViewModel.Submission;
import io.signalbox.app.notify.MessageNotice;
import io.signalbox.app.notify.Notifier;
import io.signalbox.app.service.HostedSession;
import io.signalbox.app.service.SignalingService;
import io.signalbox.client.Connection;
import io.signalbox.client.DisconnectReason;
import io.signalbox.client.ErrorCode;
import io.signalbox.client.QueuedSignal;
import io.signalbox.client.Resumption;
import io.signalbox.client.Session;
import io.signalbox.client.SessionListener;
import io.signalbox.client.Signal;
import io.signalbox.client.SignalingException;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main window of one participant: the session's events in, the user's verbs out. It owns the
 * connection list (with a conversation per entry), the composer and the reconnect indicator, and is
 * the one that talks to the {@link SignalingService}.
 *
 * <h2>Where a message goes</h2>
 * A signal to everyone goes to "Everyone"; one addressed to this participant alone goes to the private
 * conversation with its sender; one from the server (no sender) goes to "Everyone", marked as the
 * server's. A message this participant sends is shown at once in the conversation on screen, and its
 * delivery follows the send: queued (while reconnecting, when it may wait), sending, then sent when
 * the server acknowledges it, or failed with the reason.
 *
 * <p>The server gives a sender its own signal to everyone back. That copy never makes a second row:
 * it is matched to the row already shown (the oldest sent one with the same type and text, since one
 * sender's signals arrive in the order sent) and only brings the server's time. Delivery is decided by
 * the acknowledgement alone, except that a copy that came back proves delivery when the
 * acknowledgement is lost for good.
 *
 * <p>A message from someone else (or the server) to this participant or to everyone is also handed to
 * the {@link Notifier}, which decides whether the person needs telling; this participant's own
 * messages never are.
 *
 * <p>Everything runs on the UI thread: the service delivers events and completions there.
 */
public final class ChatViewModel {
    private static final Logger log = LoggerFactory.getLogger(ChatViewModel.class);
    private static final String YOU = "You";
    /** Who a signal without a sender is from, in the conversation and in notifications alike. */
    private static final String SERVER = "Server";

    private final SignalingService service;
    private final JoinTarget target;
    private final HostedSession hosting;
    private final Windows windows;
    private final Notifier notifier;
    private final Clock clock;
    private final Executor background;
    private final DateTimeFormatter timeFormat;

    private final ConnectionListViewModel connections;
    private final ComposerViewModel composer;
    private final LinkStatusViewModel link;

    /** This participant's connection while in the session; null before joining and after leaving. */
    private Connection self;
    /** Whether the join completed: from then on, joins and leaves are noted in the conversation. */
    private boolean joined;
    /** Whether the window is closing: the disconnection that follows is expected, not news. */
    private boolean leaving;
    /** Sent messages to everyone (or to oneself) whose copy has not come back from the server, oldest first. */
    private final Deque<MessageItem> awaitingEcho = new ArrayDeque<>();
    /** Sent messages neither acknowledged nor failed yet, in the order sent. */
    private final List<MessageItem> unsettled = new ArrayList<>();
    /** The name others see this participant by; set on joining. */
    private final ReadOnlyStringWrapper selfName = new ReadOnlyStringWrapper(this, "selfName", "");

    private final StringBinding windowTitle;
    private final StringBinding subtitle;
    private final StringBinding conversationTitle;
    private final StringBinding conversationSubtitle;

    /**
     * @param hosting    the session this computer hosts when this participant is its host, or null
     * @param notifier   told of each new message from someone else; {@link Notifier#NONE} for none
     * @param background runs blocking work (stopping the hosted server) off the UI thread
     */
    public ChatViewModel(SignalingService service, JoinTarget target, HostedSession hosting, Windows windows,
                         Notifier notifier, Clock clock, Executor background) {
        this.service = Objects.requireNonNull(service, "service");
        this.target = Objects.requireNonNull(target, "target");
        this.hosting = hosting;
        this.windows = Objects.requireNonNull(windows, "windows");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.background = Objects.requireNonNull(background, "background");
        this.timeFormat = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(clock.getZone());

        this.connections = new ConnectionListViewModel(this::resend, target.displayName());
        this.link = new LinkStatusViewModel(clock, service::cancel);
        StringBinding recipient = Bindings.createStringBinding(() -> {
            Participant p = connections.selected();
            return p.isEveryone() ? "everyone" : p.isSelf() ? "yourself" : p.name();
        }, connections.selectedProperty());
        this.composer = new ComposerViewModel(this::submit, recipient);

        this.windowTitle = Bindings.createStringBinding(() -> "Signalbox"
                + (selfName.get().isEmpty() ? "" : " · " + selfName.get()) + (hosting != null ? " (host)" : ""), selfName);
        this.subtitle = Bindings.createStringBinding(() -> {
            int people = connections.presentCountProperty().get();
            return (people == 1 ? "1 person" : people + " people") + " · session " + shorten(target.sessionId());
        }, connections.presentCountProperty());
        this.conversationTitle = Bindings.createStringBinding(() -> {
            Participant p = connections.selected();
            return p.isSelf() ? p.name() + " (you)" : p.name();
        }, connections.selectedProperty());
        this.conversationSubtitle = Bindings.createStringBinding(() -> {
            Participant p = connections.selected();
            if (p.isEveryone()) return "Everyone in the session sees these messages";
            if (!p.isPresent()) return "Has left the session";
            return p.isSelf() ? "Notes to yourself, through the server" : "Private: only the two of you see these messages";
        }, connections.selectedProperty(), connections.participants());

        service.setListener(new Events());
    }

    public ConnectionListViewModel connections() {
        return connections;
    }

    public ComposerViewModel composer() {
        return composer;
    }

    public LinkStatusViewModel link() {
        return link;
    }

    /** Whether this participant hosts the session on this computer (and may invite others). */
    public boolean isHosting() {
        return hosting != null;
    }

    /** The session's title: whose it is and where. */
    public String title() {
        if (hosting != null) return "Your session";
        String host = target.serverUrl().getHost() + (target.serverUrl().getPort() > 0 ? ":" + target.serverUrl().getPort() : "");
        return "Session on " + host;
    }

    /** "3 people · session 1_MX40NjEx…". */
    public StringBinding subtitleProperty() {
        return subtitle;
    }

    /** "Signalbox · Ada (host)". */
    public StringBinding windowTitleProperty() {
        return windowTitle;
    }

    /** The name others see this participant by; empty before joining. */
    public ReadOnlyStringProperty selfNameProperty() {
        return selfName.getReadOnlyProperty();
    }

    /** Whom the conversation on screen is with. */
    public StringBinding conversationTitleProperty() {
        return conversationTitle;
    }

    /** Who sees the conversation on screen. */
    public StringBinding conversationSubtitleProperty() {
        return conversationSubtitle;
    }

    /** Joins the session with the target's token. */
    public void connect() {
        link.connecting();
        joined = false;
        CompletableFuture<Void> connecting;
        try {
            connecting = service.connect(target.token());
        } catch (RuntimeException e) {
            connecting = CompletableFuture.failedFuture(e);
        }
        connecting.whenComplete((ok, failure) -> {
            if (failure != null) {
                log.info("joining session {} failed: {}", target.sessionId(), failure.toString());
                if (link.state() != LinkState.DISCONNECTED) link.disconnected("Could not join. " + Failures.describe(failure));
                return;
            }
            joined = true;
            if (link.state() == LinkState.CONNECTING) link.connected();
        });
    }

    /** Joins again after the session ended: a new connection, the conversations so far kept. */
    public void rejoin() {
        if (link.state() == LinkState.DISCONNECTED && !leaving) connect();
    }

    /** Opens the invite dialog of the hosted session. */
    public void invite() {
        if (hosting != null) windows.showInvite(hosting);
    }

    /** Opens another participant of the hosted session in a window of its own. */
    public void openParticipant() {
        if (hosting != null) windows.openParticipant(hosting);
    }

    public void openLogFolder() {
        windows.openLogFolder();
    }

    /**
     * The window is asked to close. The host is asked first, since the session ends for everyone; then
     * this participant leaves, and a hosted session's server stops, off the UI thread.
     *
     * @return whether the window may close
     */
    public boolean close() {
        if (leaving) return true;
        if (hosting != null && !windows.confirmEndHosting(hosting)) return false;
        leaving = true;
        CompletableFuture<Void> leaves;
        try {
            leaves = service.disconnect();
        } catch (RuntimeException e) {
            leaves = CompletableFuture.failedFuture(e);
        }
        leaves.whenComplete((ok, failure) -> {
            if (failure != null) log.info("leaving the session failed: {}", failure.toString());
            if (hosting != null) background.execute(hosting::close);
        });
        return true;
    }

    // ---- sending ----

    /** Takes the composer's message for the conversation on screen. */
    private Submission submit(String type, String text, boolean retryAfterReconnect) {
        Participant to = connections.selected();
        switch (link.state()) {
            case CONNECTING -> {
                return Submission.refused("you are not in the session yet. Wait until it says Connected.");
            }
            case DISCONNECTED -> {
                return Submission.refused("you are not in the session any more. Join again to send.");
            }
            default -> { }
        }
        if (!to.isPresent()) {
            return Submission.refused(to.name() + " has left the session, so the message cannot reach them.");
        }
        MessageItem message = MessageItem.outgoing(YOU, type, text, to.connection(), retryAfterReconnect,
                clock.instant(), timeFormat);
        to.conversation().add(message);
        dispatch(message);
        return link.state() == LinkState.RECONNECTING && !retryAfterReconnect ? Submission.WILL_FAIL : Submission.ACCEPTED;
    }

    /** A failed message is sent again, from the end of its conversation. */
    private void resend(MessageItem message, ConversationViewModel conversation) {
        message.restamp(clock.instant());
        conversation.add(message);
        if (link.state() == LinkState.CONNECTING || link.state() == LinkState.DISCONNECTED) {
            message.markFailed("Not connected: you are not in the session. Join again, then retry.");
            return;
        }
        dispatch(message);
    }

    private void dispatch(MessageItem message) {
        if (link.state() == LinkState.RECONNECTING && message.retryAfterReconnect()) message.markQueued();
        else message.markSending();
        unsettled.add(message);
        if (comesBack(message)) awaitingEcho.addLast(message);
        CompletableFuture<Void> sent;
        try {
            sent = service.send(message.type(), message.text(), message.to(), message.retryAfterReconnect());
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, failure) -> settle(message, failure));
    }

    private void settle(MessageItem message, Throwable failure) {
        unsettled.remove(message);
        if (failure == null) {
            message.markSent();
            return;
        }
        if (message.wasEchoed() && code(failure) == ErrorCode.DELIVERY_UNKNOWN) {
            // The server's copy came back, so it was routed: only the acknowledgement was lost.
            message.markSent();
            return;
        }
        awaitingEcho.remove(message);
        message.markFailed(Failures.describe(failure));
    }

    /** Whether the server gives this participant its own message back: to everyone, or to itself. */
    private boolean comesBack(MessageItem message) {
        return message.to() == null || message.to().equals(self);
    }

    private static ErrorCode code(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof SignalingException e ? e.code() : null;
    }

    // ---- receiving ----

    private void received(Signal signal) {
        Connection from = signal.from();
        if (from != null && from.equals(self)) {
            if (matchEcho(signal)) return;
            // A copy of nothing this window sent (it cannot be told apart): show it rather than lose it.
            ConversationViewModel where = signal.direct() ? connections.conversationWith(from) : connections.everyone().conversation();
            where.add(MessageItem.received(MessageItem.Origin.MINE, YOU, signal.type(), signal.data(), signal.direct(),
                    signal.time(), timeFormat));
            return;
        }
        if (from == null) {
            connections.everyone().conversation().add(MessageItem.received(MessageItem.Origin.SERVER, SERVER,
                    signal.type(), signal.data(), signal.direct(), signal.time(), timeFormat));
            notifier.notify(MessageNotice.of(SERVER, signal.data(), signal.direct()));
            return;
        }
        String sender = connections.nameOf(from);
        ConversationViewModel where = signal.direct() ? connections.conversationWith(from) : connections.everyone().conversation();
        where.add(MessageItem.received(MessageItem.Origin.THEIRS, sender, signal.type(), signal.data(),
                signal.direct(), signal.time(), timeFormat));
        notifier.notify(MessageNotice.of(sender, signal.data(), signal.direct()));
    }

    /** Matches this participant's own signal, back from the server, to the row already shown. */
    private boolean matchEcho(Signal signal) {
        for (Iterator<MessageItem> it = awaitingEcho.iterator(); it.hasNext(); ) {
            MessageItem message = it.next();
            if (message.type().equals(signal.type()) && message.text().equals(signal.data())
                    && (message.to() != null) == signal.direct()) {
                it.remove();
                message.echoed(signal.time());
                return true;
            }
        }
        return false;
    }

    private void queueChanged(List<QueuedSignal> queue) {
        link.queueChanged(queue, connections::nameOf);
        // A message sent just as the link dropped may have been queued before this window heard of the drop.
        int from = 0;
        for (QueuedSignal queued : queue) {
            for (int i = from; i < unsettled.size(); i++) {
                MessageItem message = unsettled.get(i);
                if (message.type().equals(queued.type()) && message.text().equals(queued.data())
                        && Objects.equals(message.to(), queued.to())) {
                    if (message.delivery() == Delivery.SENDING) message.markQueued();
                    from = i + 1;
                    break;
                }
            }
        }
    }

    private void reconnected() {
        link.connected();
        for (MessageItem message : unsettled) {
            if (message.delivery() == Delivery.QUEUED) message.markSending();
        }
    }

    private void signalsMissed(int count) {
        link.missed(count);
        String text = (count == 1 ? "1 message" : count + " messages")
                + " sent while you were away could not be recovered";
        for (ConversationViewModel conversation : connections.conversations()) {
            if (conversation.isEveryone() || conversation.hasMessages()) conversation.add(notice(NoticeItem.Kind.GAP, text));
        }
    }

    // ---- presence ----

    private void connected() {
        self = service.self();
        if (self != null) {
            Participant me = connections.join(self, true);
            selfName.set(me.name());
        }
        if (link.state() != LinkState.DISCONNECTED) link.connected();
    }

    private void joinedBy(Connection connection) {
        Participant participant = connections.join(connection, false);
        if (joined) connections.everyone().conversation().add(notice(NoticeItem.Kind.PRESENCE, participant.name() + " joined"));
    }

    private void leftBy(Connection connection, DisconnectReason reason) {
        Participant participant = connections.leave(connection);
        if (participant == null || !joined) return;
        String why = Failures.departure(reason);
        NoticeItem note = notice(NoticeItem.Kind.PRESENCE, participant.name() + " left" + (why.isEmpty() ? "" : " (" + why + ")"));
        connections.everyone().conversation().add(note);
        if (participant.conversation().hasMessages()) participant.conversation().add(note);
    }

    private void disconnected(DisconnectReason reason) {
        String why = Failures.disconnected(reason, service.disconnectMessage());
        link.disconnected(why);
        connections.allLeft();
        self = null;
        boolean wasJoined = joined;
        joined = false;
        if (!leaving && wasJoined) connections.everyone().conversation().add(notice(NoticeItem.Kind.PROBLEM, "Disconnected: " + why));
    }

    private void problem(SignalingException e) {
        log.info("the session reported a problem: {}", e.toString());
        connections.everyone().conversation().add(notice(NoticeItem.Kind.PROBLEM, Failures.describe(e)));
    }

    private NoticeItem notice(NoticeItem.Kind kind, String text) {
        return new NoticeItem(kind, text, timeFormat.format(clock.instant()));
    }

    private static String shorten(String sessionId) {
        return sessionId.length() <= 14 ? sessionId : sessionId.substring(0, 12) + "…";
    }

    /** The session's events, on the UI thread. */
    private final class Events implements SessionListener {
        @Override
        public void onConnected(Session session) {
            connected();
        }

        @Override
        public void onDisconnected(Session session, DisconnectReason reason) {
            disconnected(reason);
        }

        @Override
        public void onConnectionCreated(Session session, Connection connection) {
            joinedBy(connection);
        }

        @Override
        public void onConnectionDestroyed(Session session, Connection connection, DisconnectReason reason) {
            leftBy(connection, reason);
        }

        @Override
        public void onSignal(Session session, Signal signal) {
            received(signal);
        }

        @Override
        public void onReconnecting(Session session) {
            link.reconnecting();
        }

        @Override
        public void onReconnectAttempt(Session session, int attempt, Instant nextAttemptAt) {
            link.attemptScheduled(attempt, nextAttemptAt);
        }

        @Override
        public void onReconnected(Session session) {
            reconnected();
        }

        @Override
        public void onResumed(Session session, Resumption resumption) {
            link.resumed(resumption);
        }

        @Override
        public void onSignalsMissed(Session session, int count) {
            signalsMissed(count);
        }

        @Override
        public void onQueueChanged(Session session, List<QueuedSignal> queued) {
            queueChanged(queued);
        }

        @Override
        public void onError(Session session, SignalingException exception) {
            problem(exception);
        }
    }
}
