package io.signalbox.app.chat;

import java.time.Clock;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.controlsfx.control.PopOver;

/**
 * The status bar: the link's state (a coloured dot and words), the number of queued signals (click it
 * to see and cancel them), what a reconnection recovered, and "Join again" once the session ended.
 * It ticks the ViewModel's clock while anything shown counts down or ages.
 */
final class LinkStatusView extends HBox {
    /** How many queued signals the popover shows before it scrolls. */
    private static final int QUEUE_ROWS_SHOWN = 6;
    private static final double QUEUE_ROW_HEIGHT = 46;
    /** How far above the status bar the popover's arrow ends. */
    private static final double POPOVER_GAP = 14;

    private final LinkStatusViewModel viewModel;
    private final Timeline ticker;
    /** The queue's popover, made on first use. */
    private PopOver popOver;
    private final Button queued = new Button();
    /**
     * What the popover points at: the queued count, wrapped, because a popup takes its font from its
     * owner and the count's is bold.
     */
    private final StackPane queuedAnchor = new StackPane(queued);

    LinkStatusView(LinkStatusViewModel viewModel, Clock clock, Runnable rejoin) {
        this.viewModel = viewModel;
        getStyleClass().add("status-bar");
        setId("status-bar");
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(10);

        Region dot = new Region();
        dot.getStyleClass().add("status-dot");
        Label status = new Label();
        status.setId("link-status");
        status.accessibleTextProperty().bind(Bindings.concat("Link to the session: ", viewModel.statusTextProperty()));
        status.getStyleClass().add("link-status");
        status.textProperty().bind(viewModel.statusTextProperty());
        status.setMinWidth(Region.USE_PREF_SIZE);
        viewModel.stateProperty().addListener((obs, old, now) -> styleState(now));
        styleState(viewModel.state());
        HBox indicator = new HBox(8, dot, status);
        indicator.setAlignment(Pos.CENTER_LEFT);
        indicator.getStyleClass().add("link-indicator");
        indicator.setOnMouseClicked(e -> {
            if (viewModel.showQueuedProperty().get()) togglePopOver();
        });

        queued.setId("queued-count");
        queued.accessibleTextProperty().bind(Bindings.concat(viewModel.queuedTextProperty(),
                " waiting for the link; press to see or cancel them"));
        queued.getStyleClass().add("queued-button");
        queued.textProperty().bind(viewModel.queuedTextProperty());
        queuedAnchor.visibleProperty().bind(viewModel.showQueuedProperty());
        queuedAnchor.managedProperty().bind(queuedAnchor.visibleProperty());
        queued.setOnAction(e -> togglePopOver());

        Label recovered = new Label();
        recovered.setId("recovered");
        recovered.getStyleClass().add("recovered");
        recovered.textProperty().bind(viewModel.recoveredTextProperty());
        recovered.visibleProperty().bind(viewModel.recoveredTextProperty().isNotEmpty());
        recovered.managedProperty().bind(recovered.visibleProperty());

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);

        Button rejoinButton = new Button("Join again");
        rejoinButton.setId("rejoin");
        rejoinButton.getStyleClass().add("rejoin-button");
        rejoinButton.visibleProperty().bind(viewModel.canRejoinProperty());
        rejoinButton.managedProperty().bind(rejoinButton.visibleProperty());
        rejoinButton.setOnAction(e -> rejoin.run());

        getChildren().addAll(indicator, queuedAnchor, recovered, spacer, rejoinButton);

        ticker = new Timeline(new KeyFrame(Duration.millis(250), e -> viewModel.tick(clock.instant())));
        ticker.setCycleCount(Animation.INDEFINITE);
        viewModel.needsClockProperty().addListener((obs, old, now) -> runTicker(now));
        runTicker(viewModel.needsClockProperty().get());
    }

    /** Stops the clock for good: the window closed. */
    void dispose() {
        ticker.stop();
        if (popOver != null) popOver.hide(Duration.ZERO);
    }

    /** The queue's popover, when it was ever opened; for tests and screenshots. */
    PopOver popOver() {
        return popOver;
    }

    void togglePopOver() {
        if (popOver == null) popOver = buildPopOver();
        if (popOver.isShowing()) popOver.hide();
        else showPopOver(queuedAnchor.isVisible() ? queuedAnchor : getChildren().getFirst());
    }

    /** Shows the popover above what it points at, clear of it, so that the count stays in view. */
    private void showPopOver(javafx.scene.Node target) {
        javafx.geometry.Bounds bounds = target.localToScreen(target.getBoundsInLocal());
        if (bounds == null) {
            popOver.show(target);
            return;
        }
        popOver.show(target, bounds.getCenterX(), bounds.getMinY() - POPOVER_GAP);
    }

    private void runTicker(boolean needed) {
        if (needed) ticker.play(); else ticker.stop();
    }

    private void styleState(LinkState state) {
        for (LinkState each : LinkState.values()) {
            pseudoClassStateChanged(javafx.css.PseudoClass.getPseudoClass(each.name().toLowerCase(java.util.Locale.ROOT)), each == state);
        }
    }

    private PopOver buildPopOver() {
        Label title = new Label();
        title.getStyleClass().add("queue-title");
        title.textProperty().bind(Bindings.createStringBinding(() -> viewModel.queuedCountProperty().get() == 0
                ? "Nothing is waiting" : viewModel.queuedTextProperty().get() + ": waiting for the link",
                viewModel.queuedCountProperty(), viewModel.queuedTextProperty()));
        Label hint = new Label("They go out in this order once the link is back. Cancel one to keep it from being sent.");
        hint.getStyleClass().add("queue-hint");
        hint.setWrapText(true);

        ListView<QueuedRow> rows = new ListView<>(viewModel.queued());
        rows.setId("queued-list");
        rows.getStyleClass().add("queued-list");
        rows.setCellFactory(view -> new QueuedCell());
        rows.prefHeightProperty().bind(Bindings.createDoubleBinding(
                () -> Math.min(QUEUE_ROWS_SHOWN, Math.max(1, viewModel.queued().size())) * QUEUE_ROW_HEIGHT + 4,
                viewModel.queued()));
        rows.setFixedCellSize(QUEUE_ROW_HEIGHT);
        rows.setPrefWidth(380);
        Label none = new Label("Nothing is waiting for the link.");
        none.getStyleClass().add("conversation-empty");
        rows.setPlaceholder(none);

        VBox content = new VBox(8, title, rows, hint);
        content.getStyleClass().add("queue-popover");
        content.setPrefWidth(400);
        hint.setMaxWidth(380);

        PopOver result = new PopOver(content);
        result.setArrowLocation(PopOver.ArrowLocation.BOTTOM_LEFT);
        result.setDetachable(false);
        result.setAutoHide(true);
        result.getStyleClass().add("queue-popover-window");
        return result;
    }

    /** A queued signal: type, recipient, size, age, and Cancel. */
    private final class QueuedCell extends ListCell<QueuedRow> {
        private final Label type = new Label();
        private final Label recipient = new Label();
        private final Label preview = new Label();
        private final Label size = new Label();
        private final Label age = new Label();
        private final Button cancel = new Button("Cancel");
        private final HBox row;

        QueuedCell() {
            type.getStyleClass().add("type-tag");
            recipient.getStyleClass().add("queued-recipient");
            preview.getStyleClass().add("queued-preview");
            preview.setMaxWidth(200);
            cancel.setMinWidth(Region.USE_PREF_SIZE);
            size.getStyleClass().add("queued-meta");
            age.getStyleClass().add("queued-meta");
            size.setMinWidth(Region.USE_PREF_SIZE);
            age.setMinWidth(Region.USE_PREF_SIZE);
            cancel.getStyleClass().add("cancel-button");
            HBox top = new HBox(6, type, recipient);
            top.setAlignment(Pos.CENTER_LEFT);
            VBox left = new VBox(2, top, preview);
            left.setMinWidth(0);
            VBox right = new VBox(2, size, age);
            right.setAlignment(Pos.CENTER_RIGHT);
            Region spacer = new Region();
            HBox.setHgrow(spacer, Priority.ALWAYS);
            row = new HBox(10, left, spacer, right, cancel);
            row.setAlignment(Pos.CENTER_LEFT);
            setPrefWidth(0);
            cancel.setOnAction(e -> {
                if (getItem() != null) viewModel.cancel(getItem());
            });
        }

        @Override
        protected void updateItem(QueuedRow item, boolean empty) {
            super.updateItem(item, empty);
            age.textProperty().unbind();
            setText(null);
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            type.setText(item.type());
            recipient.setText("to " + item.recipient());
            preview.setText(item.preview());
            size.setText(item.size());
            age.textProperty().bind(item.ageProperty());
            setGraphic(row);
        }
    }
}
