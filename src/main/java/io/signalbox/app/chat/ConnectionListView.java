package io.signalbox.app.chat;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/** The connection list: "Everyone", then each participant, with unread badges; the selection picks the conversation. */
final class ConnectionListView extends VBox {
    private final ConnectionListViewModel viewModel;
    private final ListView<Participant> list;

    ConnectionListView(ConnectionListViewModel viewModel) {
        this.viewModel = viewModel;
        getStyleClass().add("sidebar");
        setId("connection-list-pane");

        Label heading = new Label("CONVERSATIONS");
        heading.getStyleClass().add("sidebar-heading");

        list = new ListView<>(viewModel.participants());
        list.setId("connection-list");
        list.setAccessibleText("Conversations: Everyone and each person in the session");
        list.getStyleClass().add("connection-list");
        list.setCellFactory(view -> new ParticipantCell());
        VBox.setVgrow(list, Priority.ALWAYS);
        list.getSelectionModel().select(viewModel.selected());
        list.getSelectionModel().selectedItemProperty().addListener((obs, old, chosen) -> {
            if (chosen == null) list.getSelectionModel().select(viewModel.selected());
            else viewModel.select(chosen);
        });
        viewModel.selectedProperty().addListener((obs, old, now) -> {
            if (list.getSelectionModel().getSelectedItem() != now) list.getSelectionModel().select(now);
        });

        getChildren().addAll(heading, list);
    }

    /** One entry: avatar, name (with "(you)"), whether they left, and the unread badge. */
    private final class ParticipantCell extends ListCell<Participant> {
        private final StackPane avatar = Avatars.create(15);
        private final Label name = new Label();
        private final Label detail = new Label();
        private final Label badge = new Label();
        private final HBox row;

        ParticipantCell() {
            name.getStyleClass().add("participant-name");
            detail.getStyleClass().add("participant-detail");
            badge.getStyleClass().add("unread-badge");
            badge.setMinWidth(Region.USE_PREF_SIZE);
            badge.managedProperty().bind(badge.visibleProperty());
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            VBox text = new VBox(1, name, detail);
            text.setAlignment(Pos.CENTER_LEFT);
            row = new HBox(10, avatar, text, spacer, badge);
            row.setAlignment(Pos.CENTER_LEFT);
            getStyleClass().add("participant-cell");
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(Participant participant, boolean empty) {
            super.updateItem(participant, empty);
            badge.textProperty().unbind();
            badge.visibleProperty().unbind();
            detail.textProperty().unbind();
            pseudoClassStateChanged(Styles.GONE, false);
            if (empty || participant == null) {
                setGraphic(null);
                setText(null);
                return;
            }
            Avatars.show(avatar, participant.name(), participant.isEveryone());
            name.setText(participant.isSelf() ? participant.name() + " (you)" : participant.name());
            badge.textProperty().bind(Bindings.createStringBinding(
                    () -> participant.unreadProperty().get() > 99 ? "99+" : Integer.toString(participant.unreadProperty().get()),
                    participant.unreadProperty()));
            badge.visibleProperty().bind(participant.unreadProperty().greaterThan(0));
            detail.textProperty().bind(Bindings.createStringBinding(() -> {
                if (participant.isEveryone()) {
                    int people = viewModel.presentCountProperty().get();
                    return people == 1 ? "Only you so far" : people + " people";
                }
                if (!participant.isPresent()) return "Left the session";
                return participant.isSelf() ? "Notes to yourself" : "Private conversation";
            }, participant.presentProperty(), viewModel.presentCountProperty()));
            pseudoClassStateChanged(Styles.GONE, !participant.isPresent());
            setText(null);
            setGraphic(row);
        }
    }
}
