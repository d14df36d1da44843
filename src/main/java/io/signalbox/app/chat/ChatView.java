package io.signalbox.app.chat;

import java.time.Clock;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The main window's content: the menu bar and header on top, the connection list on the left, the
 * conversation and the composer in the middle, the reconnect indicator at the bottom. It builds and
 * binds nodes only; the {@link ChatViewModel} decides.
 */
final class ChatView extends BorderPane {
    private final MenuBar menuBar;
    /** The window's own last menu: menus others add go before it. */
    private final Menu helpMenu;
    private final LinkStatusView status;
    private final ComposerView composer;
    private final ConversationView conversation;

    /**
     * @param leave closes the window the way its close button does (asking the host first)
     */
    ChatView(ChatViewModel viewModel, Clock clock, Runnable leave) {
        getStyleClass().add("chat-root");

        helpMenu = helpMenu(viewModel);
        menuBar = new MenuBar(sessionMenu(viewModel, leave), helpMenu);
        menuBar.setId("menu-bar");

        Label title = new Label(viewModel.title());
        title.setId("session-title");
        title.getStyleClass().add("session-title");
        Label subtitle = new Label();
        subtitle.getStyleClass().add("session-subtitle");
        subtitle.textProperty().bind(viewModel.subtitleProperty());
        VBox titles = new VBox(1, title, subtitle);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(10, titles, spacer);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("header");
        if (viewModel.isHosting()) {
            Button invite = new Button("Invite…");
            invite.setId("invite");
            invite.getStyleClass().addAll("header-button", "accent");
            invite.setAccessibleText("Invite someone to this session");
            invite.setOnAction(e -> viewModel.invite());
            Button participant = new Button("New participant window");
            participant.setId("new-participant");
            participant.getStyleClass().add("header-button");
            participant.setAccessibleText("Open a new participant window in this session");
            participant.setOnAction(e -> viewModel.openParticipant());
            header.getChildren().addAll(participant, invite);
        }
        setTop(new VBox(menuBar, header));

        ConnectionListView connections = new ConnectionListView(viewModel.connections());
        connections.setPrefWidth(240);
        connections.setMinWidth(180);
        setLeft(connections);

        Label conversationTitle = new Label();
        conversationTitle.setId("conversation-title");
        conversationTitle.getStyleClass().add("conversation-title");
        conversationTitle.textProperty().bind(viewModel.conversationTitleProperty());
        Label conversationSubtitle = new Label();
        conversationSubtitle.getStyleClass().add("conversation-subtitle");
        conversationSubtitle.textProperty().bind(viewModel.conversationSubtitleProperty());
        HBox conversationHeader = new HBox(10, conversationTitle, conversationSubtitle);
        conversationHeader.setAlignment(Pos.BASELINE_LEFT);
        conversationHeader.getStyleClass().add("conversation-header");

        conversation = new ConversationView(viewModel.connections());
        VBox.setVgrow(conversation, Priority.ALWAYS);
        composer = new ComposerView(viewModel.composer());
        VBox center = new VBox(conversationHeader, conversation, composer);
        center.getStyleClass().add("chat-pane");
        setCenter(center);

        status = new LinkStatusView(viewModel.link(), clock, viewModel::rejoin);
        setBottom(status);
    }

    /** Adds a menu after the window's own and those added before it, ahead of Help. */
    void addMenu(Menu menu) {
        menuBar.getMenus().add(menuBar.getMenus().indexOf(helpMenu), menu);
    }

    /** Adds a node at the end of the status bar. */
    void addStatusItem(Node item) {
        status.getChildren().add(item);
    }

    ConversationView conversation() {
        return conversation;
    }

    LinkStatusView status() {
        return status;
    }

    void focusComposer() {
        composer.focus();
    }

    void dispose() {
        status.dispose();
    }

    private static Menu sessionMenu(ChatViewModel viewModel, Runnable leave) {
        Menu menu = new Menu("Session");
        if (viewModel.isHosting()) {
            MenuItem invite = new MenuItem("Invite…");
            invite.setOnAction(e -> viewModel.invite());
            MenuItem participant = new MenuItem("New participant window");
            participant.setOnAction(e -> viewModel.openParticipant());
            menu.getItems().addAll(invite, participant, new SeparatorMenuItem());
        }
        MenuItem close = new MenuItem(viewModel.isHosting() ? "End session and close" : "Leave session");
        close.setId("leave");
        close.setOnAction(e -> leave.run());
        menu.getItems().add(close);
        return menu;
    }

    private static Menu helpMenu(ChatViewModel viewModel) {
        Menu menu = new Menu("Help");
        MenuItem logs = new MenuItem("Open log folder");
        logs.setId("open-log-folder");
        logs.setOnAction(e -> viewModel.openLogFolder());
        menu.getItems().add(logs);
        return menu;
    }
}
