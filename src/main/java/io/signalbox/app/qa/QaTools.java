package io.signalbox.app.qa;

import io.signalbox.app.service.HostedSession;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;

/**
 * The QA tools of one participant's window: its fault menu and badge, and its signal inspector window
 * (one, reopened to the front). Made by the composition root for each main window.
 */
public final class QaTools {
    private final InspectingSignalingService service;
    private final Stage owner;
    private final List<Image> icons;
    private final SignalInspectorView.ExportChooser chooser;
    /** Remembers and restores the inspector's place (the app's window places). */
    private final Consumer<Stage> placeInspector;
    private final FaultToolsView faults;
    /** The inspector window once opened, else null; closed with the owner. */
    private Stage inspector;

    /**
     * @param hostingOrNull    the session this participant hosts, whose server the menu may stop
     * @param background       runs the server's stop, which waits for its sockets to close
     */
    public QaTools(InspectingSignalingService service, HostedSession hostingOrNull, Clock clock, Stage owner,
                   List<Image> icons, SignalInspectorView.ExportChooser chooser, Consumer<Stage> placeInspector,
                   Executor background) {
        this.service = Objects.requireNonNull(service, "service");
        this.owner = Objects.requireNonNull(owner, "owner");
        this.icons = List.copyOf(icons);
        this.chooser = Objects.requireNonNull(chooser, "chooser");
        this.placeInspector = Objects.requireNonNull(placeInspector, "placeInspector");
        // Stopped as a dying server stops (going away), so that clients try to resume, unlike ending
        // the session, which tells everyone it is over.
        Runnable stopServer = hostingOrNull == null ? null : () -> background.execute(() -> hostingOrNull.server().close());
        FaultToolsViewModel viewModel = new FaultToolsViewModel(service.faults(), clock, stopServer);
        this.faults = new FaultToolsView(viewModel, clock, this::openInspector, FaultToolsView.dialogPrompt(() -> owner));
        owner.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> close());
    }

    public FaultToolsView faults() {
        return faults;
    }

    /** Opens this participant's signal inspector, or brings it to the front. */
    public void openInspector() {
        if (inspector != null) {
            inspector.toFront();
            return;
        }
        SignalInspectorView view = new SignalInspectorView(new SignalInspectorViewModel(service.records()),
                java.time.ZoneId.systemDefault(), chooser);
        Stage stage = new Stage();
        stage.titleProperty().bind(owner.titleProperty().concat(" — Signal inspector"));
        stage.getIcons().setAll(icons);
        stage.setScene(new Scene(view, 980, 420));
        placeInspector.accept(stage);
        stage.setOnHidden(e -> inspector = null);
        inspector = stage;
        stage.show();
    }

    /** The signals recorded so far, live, as the inspector lists them. */
    public javafx.collections.ObservableList<SignalRecord> inspectingRecords() {
        return service.records();
    }

    /** The inspector window while open, else null. */
    public Stage inspectorStage() {
        return inspector;
    }

    private void close() {
        faults.dispose();
        if (inspector != null) inspector.close();
    }
}
