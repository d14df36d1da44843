package io.signalbox.app.qa;

import java.time.Clock;
import java.util.Objects;
import java.util.OptionalInt;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.beans.binding.Bindings;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TextFormatter;
import javafx.scene.control.TextInputDialog;
import javafx.scene.input.KeyCombination;
import javafx.stage.Window;
import javafx.util.Duration;

/**
 * The QA menu of one participant's window (Alt+Q), with a shortcut for each fault, and the "faults in
 * force" badge for its status bar. It builds and binds nodes; the {@link FaultToolsViewModel} acts.
 */
public final class FaultToolsView {
    /** Asks for a whole number; empty when the person cancels. */
    @FunctionalInterface
    public interface NumberPrompt {
        OptionalInt ask(String title, String question, int initial);
    }

    private final FaultToolsViewModel viewModel;
    private final Menu menu = new Menu("_QA");
    private final Label badge = new Label();
    /** Keeps the countdown of an offline period true while the window is open. */
    private final Timeline ticker;

    /**
     * @param openInspector opens the signal inspector of this participant
     * @param prompt        asks for seconds or milliseconds; {@link #dialogPrompt} in the app
     */
    public FaultToolsView(FaultToolsViewModel viewModel, Clock clock, Runnable openInspector, NumberPrompt prompt) {
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
        Objects.requireNonNull(prompt, "prompt");
        menu.setId("qa-menu");
        menu.setMnemonicParsing(true);

        MenuItem drop = item("_Drop connection now", "qa-drop", "Shortcut+Shift+D");
        drop.setOnAction(e -> viewModel.dropNow());

        MenuItem offline = item("Go _offline for…", "qa-offline", "Shortcut+Shift+O");
        offline.setOnAction(e -> prompt.ask("Go offline", "Stay offline for how many seconds?", 10)
                .ifPresent(seconds -> { if (seconds > 0) viewModel.goOffline(seconds); }));

        CheckMenuItem block = new CheckMenuItem("_Block reconnection");
        block.setId("qa-block");
        block.setAccelerator(KeyCombination.keyCombination("Shortcut+Shift+B"));
        block.setSelected(viewModel.blockedProperty().get());
        block.setOnAction(e -> {
            if (block.isSelected()) viewModel.blockReconnection(); else viewModel.releaseReconnection();
        });
        viewModel.blockedProperty().addListener((o, was, now) -> block.setSelected(now));

        MenuItem latency = item("Add _latency…", "qa-latency", "Shortcut+Shift+L");
        latency.setOnAction(e -> prompt.ask("Add latency", "Milliseconds added to every frame each way (0 for none):", 200)
                .ifPresent(viewModel::setLatency));

        MenuItem stopServer = new MenuItem("_Stop embedded server");
        stopServer.setId("qa-stop-server");
        // Only the host runs the server; a guest's menu does not offer what it cannot do.
        stopServer.setVisible(viewModel.canStopServer());
        stopServer.disableProperty().bind(viewModel.serverStoppedProperty());
        stopServer.setOnAction(e -> viewModel.stopServer());

        MenuItem inspector = item("Signal _inspector", "qa-inspector", "Shortcut+Shift+I");
        inspector.setOnAction(e -> openInspector.run());

        menu.getItems().addAll(drop, offline, block, latency, stopServer, new SeparatorMenuItem(), inspector);

        badge.setId("faults-badge");
        badge.getStyleClass().add("faults-badge");
        badge.textProperty().bind(viewModel.summaryProperty());
        badge.accessibleTextProperty().bind(Bindings.concat("Faults in force: ", viewModel.summaryProperty()));
        badge.visibleProperty().bind(viewModel.anyFaultProperty());
        badge.managedProperty().bind(badge.visibleProperty());

        ticker = new Timeline(new KeyFrame(Duration.seconds(1), e -> viewModel.tick(clock.instant())));
        ticker.setCycleCount(Animation.INDEFINITE);
        ticker.play();
    }

    /** The "QA" menu, for the window's menu bar. */
    public Menu menu() {
        return menu;
    }

    /** The faults in force, in words; hidden when there are none. */
    public Label badge() {
        return badge;
    }

    /** Stops the countdown, when the window closes. */
    public void dispose() {
        ticker.stop();
    }

    /** Asks in a small dialog over {@code owner}, accepting digits only. */
    public static NumberPrompt dialogPrompt(java.util.function.Supplier<Window> owner) {
        return (title, question, initial) -> {
            TextInputDialog dialog = new TextInputDialog(Integer.toString(initial));
            dialog.setTitle(title);
            dialog.setHeaderText(question);
            Window parent = owner.get();
            if (parent != null) dialog.initOwner(parent);
            var field = dialog.getEditor();
            field.setId("qa-number");
            field.setAccessibleText(question);
            // Up to six digits: a typo cannot ask for a negative or absurd number.
            field.setTextFormatter(new TextFormatter<String>(c -> c.getControlNewText().matches("\\d{0,6}") ? c : null));
            return dialog.showAndWait()
                    .filter(text -> !text.isBlank())
                    .map(text -> OptionalInt.of(Integer.parseInt(text)))
                    .orElse(OptionalInt.empty());
        };
    }

    private static MenuItem item(String text, String id, String shortcut) {
        MenuItem item = new MenuItem(text);
        item.setId(id);
        item.setAccelerator(KeyCombination.keyCombination(shortcut));
        return item;
    }
}
