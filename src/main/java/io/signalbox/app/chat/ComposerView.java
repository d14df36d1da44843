package io.signalbox.app.chat;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The composer: Enter sends, Shift+Enter adds a line; the byte count, the retry toggle and the type below. */
final class ComposerView extends VBox {
    private final TextArea area = new TextArea();

    ComposerView(ComposerViewModel viewModel) {
        getStyleClass().add("composer");
        setId("composer-pane");

        Label feedback = new Label();
        feedback.setId("composer-feedback");
        feedback.getStyleClass().add("composer-feedback");
        feedback.setWrapText(true);
        feedback.textProperty().bind(viewModel.feedbackProperty());
        feedback.visibleProperty().bind(viewModel.feedbackProperty().isNotEmpty());
        feedback.managedProperty().bind(feedback.visibleProperty());
        feedback.setMaxWidth(Double.MAX_VALUE);

        area.setId("composer");
        area.getStyleClass().add("composer-area");
        area.setWrapText(true);
        area.setPrefRowCount(3);
        area.textProperty().bindBidirectional(viewModel.draftProperty());
        area.promptTextProperty().bind(viewModel.promptProperty());
        // The prompt says whom the message goes to, and a screen reader needs that after typing hides it.
        area.accessibleTextProperty().bind(viewModel.promptProperty());
        area.addEventFilter(KeyEvent.KEY_PRESSED, event -> {
            if (event.getCode() != KeyCode.ENTER) return;
            event.consume();
            if (event.isShiftDown()) area.replaceSelection("\n");
            else viewModel.send();
        });
        HBox.setHgrow(area, Priority.ALWAYS);

        Button send = new Button("Send");
        send.setId("send");
        send.getStyleClass().add("send-button");
        send.setAccessibleText("Send the message");
        send.setDefaultButton(false);
        send.disableProperty().bind(viewModel.canSendProperty().not());
        send.setOnAction(e -> {
            viewModel.send();
            area.requestFocus();
        });
        send.setMaxHeight(Double.MAX_VALUE);
        HBox input = new HBox(8, area, send);
        input.setAlignment(Pos.BOTTOM_LEFT);

        CheckBox retry = new CheckBox("Retry after reconnect");
        retry.setId("retry-toggle");
        retry.setAccessibleText("Retry after reconnect: a message sent while the link is down waits for it instead of failing");
        retry.selectedProperty().bindBidirectional(viewModel.retryAfterReconnectProperty());
        retry.setTooltip(new Tooltip("On: a message sent while the link is down waits and goes out once it is back.\n"
                + "Off: it fails at once instead."));

        Label typeLabel = new Label("Type");
        typeLabel.getStyleClass().add("composer-option");
        TextField type = new TextField();
        type.setId("signal-type");
        type.setAccessibleText("Signal type; empty sends a chat message");
        type.getStyleClass().add("type-field");
        type.setPromptText(MessageItem.CHAT_TYPE);
        type.setPrefColumnCount(9);
        type.textProperty().bindBidirectional(viewModel.typeProperty());
        Tooltip typeTip = new Tooltip();
        typeTip.textProperty().bind(Bindings.createStringBinding(() -> viewModel.typeProblemProperty().get().isEmpty()
                ? "Signal type, for advanced use. Empty sends a chat message." : "Cannot send: " + viewModel.typeProblemProperty().get(),
                viewModel.typeProblemProperty()));
        type.setTooltip(typeTip);
        viewModel.typeProblemProperty().addListener((obs, old, now) -> type.pseudoClassStateChanged(Styles.INVALID, !now.isEmpty()));

        Label bytes = new Label();
        bytes.setId("byte-count");
        bytes.getStyleClass().add("byte-count");
        bytes.textProperty().bind(viewModel.byteCountTextProperty());
        viewModel.overLimitProperty().addListener((obs, old, now) -> bytes.pseudoClassStateChanged(Styles.OVER, now));

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox options = new HBox(10, retry, typeLabel, type, spacer, bytes);
        options.setAlignment(Pos.CENTER_LEFT);
        options.getStyleClass().add("composer-options");

        getChildren().addAll(feedback, input, options);
    }

    void focus() {
        area.requestFocus();
    }
}
