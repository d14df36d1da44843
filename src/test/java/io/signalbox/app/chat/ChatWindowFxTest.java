package io.signalbox.app.chat;

import static io.signalbox.app.chat.ChatFixture.WAIT;
import static io.signalbox.app.chat.ChatFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.signalbox.app.JoinTarget;
import io.signalbox.app.chat.ChatFixture.SdkPeer;
import io.signalbox.client.Session;
import io.signalbox.client.SessionListener;
import io.signalbox.server.ServerConfig;
import io.signalbox.server.SignalboxServer;
import io.signalbox.server.auth.ApiCredentials;
import io.signalbox.server.auth.Role;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * What a person clicks through in the main window, headless, against a real embedded server and the
 * real SDK: the robot types and clicks, the assertions read the window.
 */
class ChatWindowFxTest {
    /** What was thrown on the FX thread (in a handler, a listener, a layout); none is expected. */
    static final List<Throwable> FX_ERRORS = new java.util.concurrent.CopyOnWriteArrayList<>();

    final FxRobot robot = new FxRobot();
    /** The session, windows and SDK participants of one test; made fresh for each. */
    ChatFixture fixture;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
        onFx(() -> Thread.currentThread().setUncaughtExceptionHandler((thread, error) -> FX_ERRORS.add(error)));
    }

    @BeforeEach
    void session() {
        fixture = new ChatFixture();
    }

    @AfterEach
    void end() {
        fixture.close();
        WaitForFx.layout();
        assertThat(FX_ERRORS).as("nothing thrown on the FX thread").isEmpty();
    }

    // ---- what the person does ----

    /** Types into a window's composer and presses Enter. */
    void say(ChatWindow window, String text) {
        onFx(() -> window.stage().toFront());
        robot.clickOn(node(window, "#composer"));
        robot.write(text, 0);
        robot.type(KeyCode.ENTER);
    }

    /** Clicks a window's entry in the connection list. */
    void choose(ChatWindow window, String name) {
        onFx(() -> window.stage().toFront());
        Node entry = onFx(() -> window.stage().getScene().getRoot().lookupAll(".participant-name").stream()
                .filter(n -> ((Label) n).getText().equals(name)).findFirst().orElseThrow());
        robot.clickOn(entry);
    }

    // ---- what the person sees ----

    static Node node(ChatWindow window, String selector) {
        return onFx(() -> window.stage().getScene().getRoot().lookup(selector));
    }

    static String text(ChatWindow window, String selector) {
        return onFx(() -> ((Label) window.stage().getScene().getRoot().lookup(selector)).getText());
    }

    static String draft(ChatWindow window) {
        return onFx(() -> ((TextArea) node(window, "#composer")).getText());
    }

    /** The messages of the conversation on screen, as its list holds them. */
    static List<MessageItem> shown(ChatWindow window) {
        return onFx(() -> {
            @SuppressWarnings("unchecked")
            ListView<ChatItem> list = (ListView<ChatItem>) node(window, "#conversation");
            return list.getItems().stream().filter(MessageItem.class::isInstance).map(MessageItem.class::cast).toList();
        });
    }

    /** The texts of the labels in the window's visible message rows with this style class. */
    static List<String> labels(ChatWindow window, String styleClass) {
        return onFx(() -> window.stage().getScene().getRoot().lookupAll("." + styleClass).stream()
                .filter(ChatWindowFxTest::onScreen).filter(n -> n instanceof Label).map(n -> ((Label) n).getText()).toList());
    }

    /** Whether a node and all its parents are visible. */
    static boolean onScreen(Node node) {
        for (Node n = node; n != null; n = n.getParent()) {
            if (!n.isVisible()) return false;
        }
        return true;
    }

    static void waitUntil(java.util.concurrent.Callable<Boolean> condition) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> onFx(condition));
    }

    // ---- the flows ----

    @Test
    @DisplayName("the host sends to everyone: the message shows once, as sent, and another participant receives it")
    void hostSendsToEveryone() {
        ChatWindow ada = fixture.open("Ada", true, 0);
        SdkPeer bo = fixture.sdk("Bo");
        waitUntil(() -> labels(ada, "participant-name").contains("Bo"));
        assertThat(labels(ada, "participant-name")).containsExactly("Everyone", "Ada (you)", "Bo");

        say(ada, "Hello everyone");

        await().atMost(WAIT).until(() -> bo.texts().contains("Hello everyone"));
        assertThat(bo.received.getFirst().from()).isEqualTo(fixture.services.getFirst().self());
        waitUntil(() -> labels(ada, "delivery").contains("Sent"));
        waitUntil(() -> shown(ada).getFirst().wasEchoed());
        assertThat(shown(ada)).singleElement().satisfies(m -> {
            assertThat(m.text()).isEqualTo("Hello everyone");
            assertThat(m.delivery()).isEqualTo(Delivery.SENT);
        });
        assertThat(labels(ada, "message-text")).containsExactly("Hello everyone");
        assertThat(draft(ada)).isEmpty();
    }

    @Test
    @DisplayName("a private message reaches only its target and shows in the private conversation")
    void privateMessage() {
        ChatWindow ada = fixture.open("Ada", true, 0);
        ChatWindow bo = fixture.open("Bo", false, ChatFixture.WIDTH);
        SdkPeer cy = fixture.sdk("Cy");
        waitUntil(() -> labels(ada, "participant-name").containsAll(List.of("Bo", "Cy")));

        choose(ada, "Bo");
        assertThat(text(ada, "#conversation-title")).isEqualTo("Bo");
        say(ada, "just for you");
        waitUntil(() -> labels(ada, "delivery").contains("Sent"));
        assertThat(labels(ada, "message-text")).containsExactly("just for you");

        // Bo sees it as unread in the conversation with Ada, not in Everyone.
        waitUntil(() -> labels(bo, "unread-badge").contains("1"));
        assertThat(shown(bo)).as("Bo is on Everyone").isEmpty();
        choose(bo, "Ada");
        waitUntil(() -> labels(bo, "message-text").contains("just for you"));
        assertThat(labels(bo, "private-tag")).containsExactly("private");
        assertThat(labels(bo, "message-sender")).containsExactly("Ada");

        // One sender's signals arrive in order: once Cy has the next one, Cy would have had the private one.
        choose(ada, "Everyone");
        say(ada, "now to everyone");
        await().atMost(WAIT).until(() -> cy.texts().contains("now to everyone"));
        assertThat(cy.texts()).containsExactly("now to everyone");
    }

    @Test
    @DisplayName("while the link is down the indicator counts the queue; after reconnection it is empty and each message arrived once")
    void queuedWhileDown() {
        ChatWindow ada = fixture.open("Ada", true, 0);
        SdkPeer bo = fixture.sdk("Bo");
        var faults = fixture.services.getFirst().faults();
        onFx(() -> {
            faults.blockReconnection();
            faults.dropLink();
        });
        waitUntil(() -> text(ada, "#link-status").startsWith("Reconnecting"));

        say(ada, "first while away");
        say(ada, "second while away");
        say(ada, "third, to be cancelled");
        waitUntil(() -> ((Button) node(ada, "#queued-count")).getText().equals("3 queued"));
        assertThat(labels(ada, "delivery")).containsOnly("Queued");
        assertThat(draft(ada)).as("queued counts as taken").isEmpty();

        // The indicator opens the list of queued signals; cancelling one takes it out.
        robot.clickOn(node(ada, "#queued-count"));
        waitUntil(() -> ada.view().status().popOver() != null && ada.view().status().popOver().isShowing());
        Node cancel = onFx(() -> ada.view().status().popOver().getRoot().lookupAll(".cancel-button").stream()
                .filter(ChatWindowFxTest::onScreen).toList().get(2));
        robot.clickOn(cancel);
        waitUntil(() -> ((Button) node(ada, "#queued-count")).getText().equals("2 queued"));
        waitUntil(() -> labels(ada, "delivery").stream().anyMatch(t -> t.startsWith("Failed: Cancelled")));
        onFx(() -> ada.view().status().popOver().hide(javafx.util.Duration.ZERO));
        assertThat(bo.texts()).isEmpty();

        onFx(faults::releaseReconnection);
        waitUntil(() -> text(ada, "#link-status").equals("Connected"));
        waitUntil(() -> !onScreen(node(ada, "#queued-count")));
        assertThat(((Button) node(ada, "#queued-count")).getText()).isEqualTo("0 queued");
        waitUntil(() -> text(ada, "#recovered").startsWith("Reconnected: sent 2 queued"));

        say(ada, "after");
        await().atMost(WAIT).until(() -> bo.texts().contains("after"));
        assertThat(bo.texts()).containsExactly("first while away", "second while away", "after");
        waitUntil(() -> shown(ada).stream().filter(m -> m.delivery() == Delivery.SENT).count() == 3);
        assertThat(shown(ada)).extracting(MessageItem::text)
                .containsExactly("first while away", "second while away", "third, to be cancelled", "after");
    }

    @Test
    @DisplayName("with retry off, a send while offline fails visibly with the reason, and the text stays")
    void retryOffFails() {
        ChatWindow ada = fixture.open("Ada", true, 0);
        onFx(() -> ada.stage().toFront());
        robot.clickOn(node(ada, "#retry-toggle"));
        assertThat(onFx(() -> ((CheckBox) node(ada, "#retry-toggle")).isSelected())).isFalse();
        var faults = fixture.services.getFirst().faults();
        onFx(() -> {
            faults.blockReconnection();
            faults.dropLink();
        });
        waitUntil(() -> text(ada, "#link-status").startsWith("Reconnecting"));

        say(ada, "now or never");

        waitUntil(() -> labels(ada, "delivery").stream().anyMatch(t -> t.startsWith("Failed: Not connected")));
        assertThat(onFx(() -> ada.stage().getScene().getRoot().lookupAll(".message-action").stream()
                .filter(ChatWindowFxTest::onScreen).map(n -> ((Hyperlink) n).getText()).toList())).containsExactly("Retry", "Discard");
        assertThat(draft(ada)).isEqualTo("now or never");
        assertThat(text(ada, "#composer-feedback")).contains("Retry after reconnect");
    }

    @Test
    @DisplayName("an over-limit message is refused with the reason before anything goes out, and stays in the composer")
    void overLimit() {
        ChatWindow ada = fixture.open("Ada", true, 0);
        SdkPeer bo = fixture.sdk("Bo");
        String text = "x".repeat(8193);
        onFx(() -> ((TextArea) node(ada, "#composer")).setText(text));
        assertThat(text(ada, "#byte-count")).isEqualTo("8193 / 8192 bytes");
        assertThat(onFx(() -> node(ada, "#byte-count").getPseudoClassStates()))
                .contains(javafx.css.PseudoClass.getPseudoClass("over"));
        assertThat(onFx(() -> node(ada, "#send").isDisabled())).isTrue();

        onFx(() -> ada.stage().toFront());
        robot.clickOn(node(ada, "#composer"));
        robot.type(KeyCode.ENTER);

        waitUntil(() -> node(ada, "#composer-feedback").isVisible());
        assertThat(text(ada, "#composer-feedback"))
                .isEqualTo("Not sent: the message is 8193 bytes, over the limit of 8192 bytes. Shorten it by 1 byte.");
        assertThat(draft(ada)).isEqualTo(text);
        assertThat(shown(ada)).isEmpty();

        // Nothing went out: the next message is the first Bo receives.
        onFx(() -> ((TextArea) node(ada, "#composer")).setText("short"));
        robot.type(KeyCode.ENTER);
        await().atMost(WAIT).until(() -> !bo.received.isEmpty());
        assertThat(bo.texts()).containsExactly("short");
    }

    @Test
    @DisplayName("a history of ten thousand messages is virtualised: few cells, quick to scroll")
    void longHistory() {
        ChatWindow ada = fixture.open("Ada", true, 0);
        ConversationViewModel everyone = ada.viewModel().connections().everyone().conversation();
        var format = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneOffset.UTC);
        onFx(() -> {
            for (int i = 0; i < 10_000; i++) {
                everyone.add(MessageItem.received(MessageItem.Origin.THEIRS, "Bo", i % 10 == 0 ? "cursor" : "chat",
                        "message number " + i + (i % 7 == 0 ? "\nwith a second line" : ""), false,
                        java.time.Instant.EPOCH.plusSeconds(i), format));
            }
        });
        @SuppressWarnings("unchecked")
        ListView<ChatItem> list = (ListView<ChatItem>) node(ada, "#conversation");
        long start = System.nanoTime();
        for (int index : new int[] {0, 2_500, 5_000, 7_500, 9_999}) {
            onFx(() -> list.scrollTo(index));
            WaitForFx.layout();
        }
        Duration scrolling = Duration.ofNanos(System.nanoTime() - start);
        assertThat(scrolling).isLessThan(Duration.ofSeconds(5));
        Set<Node> cells = onFx(() -> list.lookupAll(".item-cell"));
        assertThat(cells.size()).as("cells are made for the rows in view, not for every message").isLessThan(60);
        waitUntil(() -> labels(ada, "message-text").contains("message number 9999"));
    }

    @Test
    @DisplayName("joining a full session says so in words, keeps the draft, and offers to join again")
    void sessionFull() {
        ServerConfig config = ServerConfig.defaults(ApiCredentials.generate(new SecureRandom()))
                .withHost("127.0.0.1").withMaxConnectionsPerSession(1);
        try (SignalboxServer server = SignalboxServer.start(config)) {
            String sessionId = server.createSessionId();
            URI url = URI.create("http://127.0.0.1:" + server.port());
            Session first = Session.builder(url, sessionId).listener(new SessionListener() {}).build();
            first.connect(server.tokens().mintJwt(sessionId, Role.PUBLISHER, "Cy", Duration.ofHours(1)))
                    .orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
            try {
                JoinTarget target = new JoinTarget(url, sessionId,
                        server.tokens().mintJwt(sessionId, Role.PUBLISHER, "Bo", Duration.ofHours(1)), "Bo");
                ChatWindow bo = fixture.openAt(target, false, 0);

                waitUntil(() -> text(bo, "#link-status").startsWith("Disconnected"));
                assertThat(text(bo, "#link-status")).isEqualTo("Disconnected: Could not join. Session full: "
                        + "the session is full: it already has 1 connection, the most this server allows");
                assertThat(onScreen(node(bo, "#rejoin"))).isTrue();
                say(bo, "hello?");
                assertThat(draft(bo)).as("what was typed is kept").isEqualTo("hello?");
                assertThat(server.connectionCount()).as("the one already there, and no one else").isEqualTo(1);
            } finally {
                first.disconnect().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).exceptionally(e -> null).join();
            }
        }
    }

    @Test
    @DisplayName("the host ends the session from the menu: asked first, then the guest is told in words and may not send")
    void hostEnds() {
        ChatWindow ada = fixture.open("Ada", true, 0);
        ChatWindow bo = fixture.open("Bo", false, ChatFixture.WIDTH);
        onFx(() -> ada.stage().toFront());
        Node sessionMenu = onFx(() -> ada.stage().getScene().getRoot().lookupAll(".menu-bar .menu").stream()
                .filter(n -> n instanceof javafx.scene.control.Labeled l && l.getText().equals("Session")).findFirst().orElseThrow());
        robot.clickOn(sessionMenu).clickOn("End session and close");

        waitUntil(() -> !ada.stage().isShowing());
        assertThat(fixture.windows.calls).containsExactly("confirmEndHosting");
        waitUntil(() -> text(bo, "#link-status").equals("Disconnected: The host ended the session"));
        assertThat(onScreen(node(bo, "#rejoin"))).isTrue();
        say(bo, "anyone?");
        assertThat(text(bo, "#composer-feedback")).contains("not in the session any more");
        assertThat(labels(bo, "notice")).anyMatch(t -> t.startsWith("Disconnected: The host ended the session"));
    }

    @Test
    @DisplayName("someone leaves while their conversation is open: it says so, refuses to send, and goes once left")
    void leavesWhileOpen() {
        ChatWindow ada = fixture.open("Ada", true, 0);
        SdkPeer cy = fixture.sdk("Cy");
        waitUntil(() -> labels(ada, "participant-name").contains("Cy"));
        choose(ada, "Cy");
        cy.session.disconnect().join();

        waitUntil(() -> labels(ada, "conversation-subtitle").contains("Has left the session"));
        assertThat(labels(ada, "participant-detail")).contains("Left the session");
        say(ada, "are you there?");
        assertThat(text(ada, "#composer-feedback"))
                .isEqualTo("Not sent: Cy has left the session, so the message cannot reach them.");
        assertThat(draft(ada)).isEqualTo("are you there?");

        choose(ada, "Everyone");
        waitUntil(() -> !labels(ada, "participant-name").contains("Cy"));
        assertThat(labels(ada, "notice")).anyMatch(t -> t.startsWith("Cy left"));
    }

    @Test
    @DisplayName("each control a screen reader meets has accessible text, naming whom the composer writes to")
    void accessibleText() {
        ChatWindow ada = fixture.open("Ada", true, 0);
        for (String id : List.of("#composer", "#send", "#retry-toggle", "#signal-type", "#connection-list", "#conversation",
                "#link-status", "#queued-count", "#invite", "#new-participant")) {
            assertThat(onFx(() -> node(ada, id).getAccessibleText())).as(id).isNotBlank();
        }
        assertThat(onFx(() -> node(ada, "#composer").getAccessibleText())).startsWith("Message everyone");
        assertThat(onFx(() -> node(ada, "#conversation").getAccessibleText())).isEqualTo("Messages with Everyone");
    }

    @Test
    @DisplayName("menus and status items added to the window go before Help and at the end of the status bar")
    void extensions() {
        ChatWindow ada = fixture.open("Ada", false, 0);
        Label badge = new Label("extra");
        onFx(() -> {
            ada.addMenu(new Menu("View"));
            ada.addMenu(new Menu("QA"));
            ada.addStatusItem(badge);
        });
        assertThat(onFx(() -> ((MenuBar) node(ada, "#menu-bar")).getMenus().stream().map(Menu::getText).toList()))
                .containsExactly("Session", "View", "QA", "Help");
        assertThat(onFx(() -> ((javafx.scene.Parent) node(ada, "#status-bar")).getChildrenUnmodifiable().getLast()))
                .isSameAs(badge);
    }

    @Test
    @DisplayName("the conversation follows the newest message while the reader is at the end, and stays put otherwise")
    void followsNewest() {
        ChatWindow ada = fixture.open("Ada", true, 0);
        ConversationViewModel everyone = ada.viewModel().connections().everyone().conversation();
        var format = java.time.format.DateTimeFormatter.ofPattern("HH:mm:ss").withZone(java.time.ZoneOffset.UTC);
        @SuppressWarnings("unchecked")
        ListView<ChatItem> list = (ListView<ChatItem>) node(ada, "#conversation");
        for (int i = 0; i < 40; i++) {
            int n = i;
            onFx(() -> everyone.add(MessageItem.received(MessageItem.Origin.THEIRS, "Bo", "chat",
                    "line " + n + (n % 3 == 0 ? "\nand a second line\nand a third" : ""), false, java.time.Instant.EPOCH, format)));
            WaitForFx.layout();
        }
        waitUntil(() -> lastFullyVisible(list) == 39);

        onFx(() -> list.scrollTo(0));
        WaitForFx.layout();
        onFx(() -> everyone.add(MessageItem.received(MessageItem.Origin.THEIRS, "Bo", "chat", "while reading back", false,
                java.time.Instant.EPOCH, format)));
        WaitForFx.layout();
        assertThat(onFx(() -> ((javafx.scene.control.skin.VirtualFlow<?>) list.lookup(".virtual-flow")).getFirstVisibleCell().getIndex()))
                .as("reading back, the reader is not pulled to the end").isZero();
    }

    /** The index of the last row whose cell is wholly in view. */
    static int lastFullyVisible(ListView<ChatItem> list) {
        var flow = (javafx.scene.control.skin.VirtualFlow<?>) list.lookup(".virtual-flow");
        var cell = flow.getLastVisibleCell();
        if (cell == null) return -1;
        var bounds = cell.localToScene(cell.getLayoutBounds());
        var view = list.localToScene(list.getLayoutBounds());
        return bounds.getMaxY() <= view.getMaxY() + 0.5 ? cell.getIndex() : cell.getIndex() - 1;
    }

    /** Waits for the FX thread to lay out and render what was asked of it. */
    static final class WaitForFx {
        private WaitForFx() {}

        static void layout() {
            org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
        }
    }
}
