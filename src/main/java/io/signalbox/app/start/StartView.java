package io.signalbox.app.start;

import io.signalbox.app.service.Settings.RecentSession;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Control;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The first screen's nodes, bound to a {@link StartViewModel}: a header, the name, a card to host and a
 * card to join, and the recent sessions. Holds no state of its own.
 */
public final class StartView {
    /** A hint that reports a mistake, not just something still to enter. */
    private static final PseudoClass WRONG = PseudoClass.getPseudoClass("wrong");

    private final StartViewModel viewModel;
    private final BorderPane root = new BorderPane();

    /**
     * @param viewModel the screen's state and verbs
     * @param logo      the app's icon for the header, or null
     */
    public StartView(StartViewModel viewModel, Image logo) {
        this.viewModel = viewModel;
        root.getStyleClass().add("start-screen");
        root.setTop(header(logo));
        VBox body = new VBox(errorBanner(), nameRow(), cards(), recentCard());
        body.getStyleClass().add("start-body");
        root.setCenter(body);
        root.setBottom(footer());
    }

    public Parent root() {
        return root;
    }

    private Node header(Image logo) {
        Label title = new Label("Signalbox");
        title.getStyleClass().add("app-title");
        Label subtitle = new Label("Chat with the people in a shared session.");
        subtitle.getStyleClass().add("app-subtitle");
        HBox header = new HBox(new VBox(title, subtitle));
        if (logo != null) {
            ImageView icon = new ImageView(logo);
            icon.setFitWidth(44);
            icon.setFitHeight(44);
            icon.setSmooth(true);
            header.getChildren().addFirst(icon);
        }
        header.getStyleClass().add("app-header");
        header.setAlignment(Pos.CENTER_LEFT);
        return header;
    }

    private Node errorBanner() {
        Label banner = new Label();
        banner.getStyleClass().add("error-banner");
        banner.setWrapText(true);
        banner.setMaxWidth(Double.MAX_VALUE);
        banner.textProperty().bind(viewModel.errorProperty());
        showOnlyWithText(banner, viewModel.errorProperty());
        banner.setAccessibleText("Error");
        banner.accessibleTextProperty().bind(viewModel.errorProperty());
        return banner;
    }

    private Node nameRow() {
        TextField name = new TextField();
        name.setId("displayName");
        name.setPromptText("Ada Lovelace");
        name.setPrefColumnCount(22);
        name.textProperty().bindBidirectional(viewModel.displayNameProperty());
        name.setAccessibleText("Your name, as others in the session see it");
        Label label = mnemonicLabel("_Your name", name);
        label.getStyleClass().add("field-label");
        Label problem = hint(viewModel.nameProblemProperty());
        HBox row = new HBox(label, name, problem);
        row.getStyleClass().add("name-row");
        row.setAlignment(Pos.CENTER_LEFT);
        return row;
    }

    /** Host and Join side by side, always of equal width, whatever their texts' lengths. */
    private Node cards() {
        GridPane cards = new GridPane();
        cards.getStyleClass().add("cards");
        cards.addRow(0, hostCard(), joinCard());
        ColumnConstraints half = new ColumnConstraints();
        half.setPercentWidth(50);
        half.setHgrow(Priority.ALWAYS);
        cards.getColumnConstraints().setAll(half, half);
        for (Node card : cards.getChildren()) {
            GridPane.setFillHeight(card, true);
            ((Region) card).setMaxHeight(Double.MAX_VALUE);
        }
        return cards;
    }

    private Region hostCard() {
        Label title = cardTitle("Host a session");
        Label text = paragraph("Start a session on this computer and join it as its host. The session ends "
                + "when you close its window.");
        VBox points = new VBox(
                bullet("Nothing to set up: the server runs inside Signalbox."),
                bullet("Invite others with a link from the session window."),
                bullet("Trying it alone? Open more participant windows."));
        points.getStyleClass().add("bullets");

        CheckBox onNetwork = new CheckBox("Let others on my local _network join");
        onNetwork.setId("shareOnNetwork");
        onNetwork.selectedProperty().bindBidirectional(viewModel.shareOnNetworkProperty());
        onNetwork.setAccessibleText("Let others on my local network join");

        Label note = new Label();
        note.setId("networkNote");
        note.getStyleClass().add("paragraph");
        note.setWrapText(true);
        note.setMinHeight(Region.USE_PREF_SIZE);
        note.textProperty().bind(viewModel.networkNoteProperty());
        note.visibleProperty().bind(Bindings.isNotEmpty(viewModel.networkNoteProperty()));
        note.managedProperty().bind(note.visibleProperty());

        Button host = new Button("_Host a session");
        host.setId("hostButton");
        host.getStyleClass().add("accent");
        host.disableProperty().bind(viewModel.canHostProperty().not());
        host.setOnAction(e -> viewModel.host());
        host.setAccessibleText("Host a session on this computer");

        ProgressIndicator progress = new ProgressIndicator();
        progress.setPrefSize(18, 18);
        progress.visibleProperty().bind(viewModel.busyProperty());
        progress.managedProperty().bind(progress.visibleProperty());
        Label status = new Label();
        status.getStyleClass().add("status");
        status.textProperty().bind(viewModel.statusProperty());
        HBox actions = new HBox(host, progress, status);
        actions.getStyleClass().add("card-actions");
        actions.setAlignment(Pos.CENTER_LEFT);

        return card(title, text, points, onNetwork, note, grow(), actions);
    }

    private Region joinCard() {
        Label title = cardTitle("Join a session");

        TextField link = field("inviteLink", "signalbox://join?url=…&session=…&token=…",
                "Invite link", viewModel.inviteLinkProperty());
        Label or = new Label("or enter the details");
        or.getStyleClass().add("separator-text");

        TextField url = field("serverUrl", "http://192.168.1.20:7400", "Server address", viewModel.serverUrlProperty());
        TextField session = field("sessionId", "1_MX4…", "Session ID", viewModel.sessionIdProperty());
        TextField token = field("token", "eyJ…", "Token", viewModel.tokenProperty());
        GridPane details = new GridPane();
        details.getStyleClass().add("details");
        details.addRow(0, mnemonicLabel("_Invite link", link), link);
        details.add(or, 1, 1);
        details.addRow(2, mnemonicLabel("Server _URL", url), url);
        details.addRow(3, mnemonicLabel("_Session ID", session), session);
        details.addRow(4, mnemonicLabel("_Token", token), token);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        details.getColumnConstraints().setAll(labels, fields);

        Label problem = hint(viewModel.joinProblemProperty());
        problem.setId("joinProblem");
        problem.pseudoClassStateChanged(WRONG, viewModel.joinInputWrongProperty().get());
        viewModel.joinInputWrongProperty().addListener((obs, was, wrong) -> problem.pseudoClassStateChanged(WRONG, wrong));

        Button join = new Button("_Join");
        join.setId("joinButton");
        join.getStyleClass().add("accent");
        join.disableProperty().bind(viewModel.canJoinProperty().not());
        join.setOnAction(e -> viewModel.join());
        join.setAccessibleText("Join the session");
        for (TextField f : new TextField[] {link, url, session, token}) f.setOnAction(e -> viewModel.join());
        HBox actions = new HBox(join);
        actions.getStyleClass().add("card-actions");

        return card(title, details, problem, grow(), actions);
    }

    private Region recentCard() {
        ListView<RecentSession> list = new ListView<>(viewModel.recentSessions());
        list.setId("recentSessions");
        list.getStyleClass().add("recent-list");
        list.setAccessibleText("Recent sessions: press Enter to join again, Delete to forget");
        list.setPrefHeight(140);
        list.setMinHeight(64);
        Label empty = new Label("Sessions you join appear here, so that you can join them again.");
        empty.getStyleClass().add("placeholder");
        list.setPlaceholder(empty);
        list.setCellFactory(view -> new RecentCell());
        list.setOnMouseClicked(e -> {
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2) {
                viewModel.rejoin(list.getSelectionModel().getSelectedItem());
            }
        });
        list.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ENTER) viewModel.rejoin(list.getSelectionModel().getSelectedItem());
            if (e.getCode() == KeyCode.DELETE) viewModel.forget(list.getSelectionModel().getSelectedItem());
        });
        MenuItem rejoin = new MenuItem("_Join again");
        rejoin.setOnAction(e -> viewModel.rejoin(list.getSelectionModel().getSelectedItem()));
        MenuItem forget = new MenuItem("_Forget");
        forget.setOnAction(e -> viewModel.forget(list.getSelectionModel().getSelectedItem()));
        BooleanBinding noneSelected = list.getSelectionModel().selectedItemProperty().isNull();
        rejoin.disableProperty().bind(noneSelected);
        forget.disableProperty().bind(noneSelected);
        list.setContextMenu(new ContextMenu(rejoin, forget));
        Label recentLabel = mnemonicLabel("_Recent sessions", list);
        recentLabel.getStyleClass().setAll("card-title");
        VBox card = card(recentLabel, list);
        VBox.setVgrow(list, Priority.ALWAYS);
        VBox.setVgrow(card, Priority.ALWAYS);
        return card;
    }

    private Node footer() {
        Hyperlink logs = new Hyperlink("Open the _log folder");
        logs.setMnemonicParsing(true);
        logs.setId("openLogFolder");
        logs.setOnAction(e -> viewModel.openLogFolder());
        logs.setAccessibleText("Open the folder with Signalbox's log file");
        HBox footer = new HBox(grow(), logs);
        footer.getStyleClass().add("app-footer");
        footer.setAlignment(Pos.CENTER_RIGHT);
        return footer;
    }

    // ---- small builders -------------------------------------------------------------------------

    /** One recent session: where, then which and when. */
    private final class RecentCell extends ListCell<RecentSession> {
        private final Label where = new Label();
        private final Label detail = new Label();
        private final VBox box = new VBox(where, detail);

        RecentCell() {
            where.getStyleClass().add("recent-title");
            detail.getStyleClass().add("recent-detail");
            box.getStyleClass().add("recent-cell");
        }

        @Override
        protected void updateItem(RecentSession item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setGraphic(null);
                setAccessibleText(null);
                return;
            }
            where.setText(item.label().isBlank() ? item.serverUrl() : item.label());
            detail.setText(viewModel.describe(item));
            setGraphic(box);
            setAccessibleText(where.getText() + ", " + detail.getText());
        }
    }

    private static VBox card(Node... children) {
        VBox card = new VBox(children);
        card.getStyleClass().add("card");
        return card;
    }

    private static Label cardTitle(String text) {
        Label title = new Label(text);
        title.getStyleClass().add("card-title");
        return title;
    }

    private static Label paragraph(String text) {
        Label label = new Label(text);
        label.getStyleClass().add("paragraph");
        label.setWrapText(true);
        label.setMinHeight(Region.USE_PREF_SIZE);
        return label;
    }

    /** A point of a list, its lines wrapping beside the bullet rather than under it. */
    private static Node bullet(String text) {
        Label dot = new Label("•");
        dot.getStyleClass().add("paragraph");
        dot.setMinWidth(Region.USE_PREF_SIZE);
        HBox point = new HBox(dot, paragraph(text));
        point.getStyleClass().add("bullet");
        return point;
    }

    private static TextField field(String id, String prompt, String accessible,
                                   StringProperty value) {
        TextField field = new TextField();
        field.setId(id);
        field.setPromptText(prompt);
        field.setAccessibleText(accessible);
        field.textProperty().bindBidirectional(value);
        return field;
    }

    private static Label mnemonicLabel(String text, Control target) {
        Label label = new Label(text);
        label.setMnemonicParsing(true);
        label.setLabelFor(target);
        return label;
    }

    /** A quiet line under a field saying what is still missing. */
    private static Label hint(ObservableStringValue text) {
        Label hint = new Label();
        hint.getStyleClass().add("hint");
        hint.setWrapText(true);
        hint.setMinHeight(Region.USE_PREF_SIZE);
        hint.textProperty().bind(text);
        showOnlyWithText(hint, text);
        return hint;
    }

    private static void showOnlyWithText(Node node, ObservableStringValue text) {
        node.visibleProperty().bind(Bindings.createBooleanBinding(() -> !text.get().isEmpty(), text));
        node.managedProperty().bind(node.visibleProperty());
    }

    private static Region grow() {
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        VBox.setVgrow(spacer, Priority.ALWAYS);
        return spacer;
    }
}
