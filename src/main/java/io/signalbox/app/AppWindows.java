package io.signalbox.app;

import io.signalbox.app.chat.ChatWindow;
import io.signalbox.app.invite.InviteView;
import io.signalbox.app.invite.InviteViewModel;
import io.signalbox.app.notify.DesktopNotifier;
import io.signalbox.app.qa.InspectingSignalingService;
import io.signalbox.app.qa.QaTools;
import io.signalbox.app.qa.SignalInspectorView;
import io.signalbox.app.service.AppPaths;
import io.signalbox.app.service.HostedSession;
import io.signalbox.app.service.SettingsStore;
import io.signalbox.app.service.SignalingService;
import io.signalbox.app.start.StartView;
import io.signalbox.app.start.StartViewModel;
import io.signalbox.app.theme.ThemeView;
import io.signalbox.app.theme.ThemeViewModel;
import io.signalbox.server.auth.Role;
import java.awt.Desktop;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javafx.application.HostServices;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar.ButtonData;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Menu;
import javafx.scene.image.Image;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's windows, as the composition root wires them: the start screen, the chat windows (the
 * chat package's {@link ChatWindow}), the invite dialog and the alerts. Everything here runs on the
 * UI thread.
 */
public final class AppWindows implements Windows {
    private static final Logger log = LoggerFactory.getLogger(AppWindows.class);
    /** The app's look, for every scene the app makes; the chat window may add it to its own. */
    public static final String STYLESHEET = "signalbox.css";

    private final AppContext context;
    private final BackgroundTasks tasks;
    private final StartViewModel.HostStarter hostStarter;
    private final HostServices hostServices;
    private final List<Image> icons;
    private final String stylesheet;
    private final WindowPlaces places;
    private final ThemeView theme;

    /** The service the context made last: the one of the chat window being built. */
    private SignalingService lastService;
    /** The QA tools of each open chat window, by its stage. */
    private final Map<Stage, QaTools> qaTools = new IdentityHashMap<>();
    /** Where the inspector exports to: the system's save dialog, or a test's choice. */
    private SignalInspectorView.ExportChooser exportChooser = SignalInspectorView.fileChooser();

    /** The start screen while it is open, else null. */
    private Stage startStage;
    /** Every session hosted in this run, so that quitting ends each for its guests; only grows. */
    private final List<HostedSession> hosted = new ArrayList<>();
    /** How many participant windows each hosted session has opened, to name the next "Guest N". */
    private final Map<HostedSession, Integer> guestsOpened = new IdentityHashMap<>();
    /** Whether an unexpected-error alert is open: a burst of failures shows one alert, not a pile. */
    private boolean errorAlertOpen;

    /**
     * Builds the {@link AppContext} too, with this object as its windows: the context and the windows
     * need each other, and this keeps the pair complete from the start.
     *
     * @param hostServices the app's host services for opening folders, or null (tests)
     */
    public AppWindows(AppPaths paths, SettingsStore settings, Executor ui, Clock clock,
                      Function<JoinTarget, SignalingService> services, BackgroundTasks tasks,
                      StartViewModel.HostStarter hostStarter, HostServices hostServices) {
        Objects.requireNonNull(services, "services");
        // A chat window makes its own service through the context; noting it lets this class give the
        // window the QA tools of that very service.
        Function<JoinTarget, SignalingService> noted = target -> {
            lastService = services.apply(target);
            return lastService;
        };
        this.context = new AppContext(paths, settings, ui, clock, noted, this);
        this.places = new WindowPlaces(settings);
        this.theme = new ThemeView(new ThemeViewModel(settings));
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.hostStarter = Objects.requireNonNull(hostStarter, "hostStarter");
        this.hostServices = hostServices;
        this.icons = loadIcons();
        URL css = AppWindows.class.getResource(STYLESHEET);
        this.stylesheet = css == null ? null : css.toExternalForm();
    }

    public AppContext context() {
        return context;
    }

    /** The app's icon in the sizes it ships, for any stage. */
    public List<Image> icons() {
        return icons;
    }

    // ---- the start screen -----------------------------------------------------------------------

    @Override
    public void showStart() {
        if (startStage != null) {
            startStage.toFront();
            return;
        }
        showStart(newStartViewModel());
    }

    /**
     * Opens the app on an invite link: joins at once with the saved name, or, when there is no name
     * yet or the link does not read, shows the start screen filled in with it, saying what is missing.
     */
    public void openLink(String link) {
        // One start screen at a time: the link's replaces one already open.
        if (startStage != null) startStage.close();
        StartViewModel start = newStartViewModel();
        start.inviteLinkProperty().set(link);
        if (start.canJoinProperty().get()) {
            start.join();
        } else {
            showStart(start);
        }
    }

    /** The start screen's scene while it is open. */
    Optional<Scene> startScene() {
        return Optional.ofNullable(startStage).map(Stage::getScene);
    }

    private StartViewModel newStartViewModel() {
        return new StartViewModel(context.settings(), this, hostStarter, tasks, context.clock());
    }

    private void showStart(StartViewModel viewModel) {
        StartView view = new StartView(viewModel, icons.isEmpty() ? null : icons.getLast());
        Stage stage = new Stage();
        stage.setTitle("Signalbox");
        stage.getIcons().setAll(icons);
        stage.setScene(styled(new Scene(view.root(), 940, 720)));
        stage.setMinWidth(760);
        stage.setMinHeight(600);
        stage.setOnHidden(e -> {
            viewModel.dispose();
            if (startStage == stage) startStage = null;
        });
        startStage = stage;
        places.remember(stage, "start");
        stage.show();
    }

    // ---- chat windows ---------------------------------------------------------------------------

    @Override
    public void openChat(JoinTarget target, HostedSession hosting) {
        if (hosting != null && !hosted.contains(hosting)) hosted.add(hosting);
        ChatWindow chat = new ChatWindow(context, target, hosting, this::notifier);
        chat.stage().getIcons().setAll(icons);
        addDesktopTools(chat, hosting);
        // Participant windows open beside the one they come from; the main one where it was last.
        places.remember(chat.stage(), "chat");
        chat.show();
        if (startStage != null) startStage.close();
    }

    @Override
    public void openParticipant(HostedSession hosting) {
        // The host is participant 1, so the first extra window is "Guest 2".
        int number = guestsOpened.merge(hosting, 2, (count, one) -> count + 1);
        String name = "Guest " + number;
        JoinTarget target = new JoinTarget(hosting.url(), hosting.sessionId(), hosting.token(Role.PUBLISHER, name), name,
                hosting.fingerprint());
        ChatWindow chat = new ChatWindow(context, target, null, this::notifier);
        chat.stage().getIcons().setAll(icons);
        addDesktopTools(chat, null);
        // Beside the window it was opened from, not on top of it, so both can be watched at once.
        focusedWindow().ifPresent(from -> {
            chat.stage().setX(from.getX() + 48);
            chat.stage().setY(from.getY() + 48);
        });
        chat.show();
    }

    // ---- dialogs --------------------------------------------------------------------------------

    @Override
    public void showInvite(HostedSession hosting) {
        InviteViewModel viewModel = InviteViewModel.of(hosting);
        Dialog<ButtonType> dialog = new Dialog<>();
        dialog.setTitle("Invite to the session");
        dialog.setHeaderText("Invite someone to this session");
        DialogPane pane = dialog.getDialogPane();
        pane.setContent(new InviteView(viewModel).root());
        pane.getButtonTypes().setAll(new ButtonType("Close", ButtonData.CANCEL_CLOSE));
        dress(dialog);
        dialog.initModality(Modality.NONE);
        dialog.show();
    }

    @Override
    public boolean confirmEndHosting(HostedSession hosting) {
        ButtonType end = new ButtonType("End the session", ButtonData.OK_DONE);
        ButtonType keep = new ButtonType("Keep hosting", ButtonData.CANCEL_CLOSE);
        Alert alert = new Alert(Alert.AlertType.CONFIRMATION,
                "Closing this window ends the session for everyone in it. Guests are disconnected and told "
                        + "that the host ended the session.", end, keep);
        alert.setTitle("End the session?");
        alert.setHeaderText("End the session for everyone?");
        dress(alert);
        // Ending is the one choice that cannot be undone, so Enter keeps the session going.
        ((Button) alert.getDialogPane().lookupButton(end)).setDefaultButton(false);
        ((Button) alert.getDialogPane().lookupButton(keep)).setDefaultButton(true);
        return alert.showAndWait().filter(end::equals).isPresent();
    }

    @Override
    public void openLogFolder() {
        var folder = context.paths().dataDir();
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            log.warn("cannot create the data folder {}: {}", folder, e.getMessage());
        }
        if (hostServices != null) {
            try {
                hostServices.showDocument(folder.toUri().toString());
                return;
            } catch (RuntimeException e) {
                log.warn("the desktop did not open {}: {}", folder, e.toString());
            }
        }
        try {
            if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
                Desktop.getDesktop().open(folder.toFile());
                return;
            }
        } catch (IOException | RuntimeException e) {
            log.warn("cannot open the folder {}: {}", folder, e.toString());
        }
        // No way to open it here: at least say where it is.
        inform("The log folder", "Signalbox keeps its log file in this folder:\n\n" + folder);
    }

    /** Tells the person about a failure nothing else handled; one alert at a time. */
    public void showUnexpectedError(String message) {
        if (errorAlertOpen) return;
        ButtonType openFolder = new ButtonType("Open the log folder", ButtonData.LEFT);
        Alert alert = new Alert(Alert.AlertType.ERROR, message, ButtonType.OK, openFolder);
        alert.setTitle("Signalbox");
        alert.setHeaderText("Something went wrong");
        dress(alert);
        errorAlertOpen = true;
        // Not showAndWait: the failure may have come from inside a layout or an animation, where a
        // nested wait is not allowed.
        alert.setOnHidden(e -> {
            errorAlertOpen = false;
            if (openFolder.equals(alert.getResult())) openLogFolder();
        });
        alert.show();
    }

    /** Ends every session hosted in this run, so that guests learn the host has gone. */
    public void endHostedSessions() {
        for (HostedSession session : hosted) {
            try {
                session.close();
            } catch (RuntimeException e) {
                log.warn("could not end a hosted session cleanly: {}", e.toString());
            }
        }
    }

    /** Stops what outlives the windows, when the app stops. */
    public void dispose() {
        theme.dispose();
    }

    /** The QA tools of an open chat window, for tests. */
    QaTools qaTools(Stage chatStage) {
        return qaTools.get(chatStage);
    }

    /** Exports from the inspector to a test's choice instead of asking. */
    void useExportChooser(SignalInspectorView.ExportChooser chooser) {
        this.exportChooser = Objects.requireNonNull(chooser, "chooser");
    }

    /** The sessions hosted in this run (ended ones included). */
    public List<HostedSession> hostedSessions() {
        return List.copyOf(hosted);
    }

    /**
     * Gives a chat window the View menu with the theme and, when its service can be inspected (always,
     * in the app), the QA menu and the faults badge.
     */
    private void addDesktopTools(ChatWindow chat, HostedSession hosting) {
        Stage stage = chat.stage();
        Menu view = new Menu("_View");
        view.setId("view-menu");
        view.getItems().add(theme.menu());
        chat.addMenu(view);
        if (!(lastService instanceof InspectingSignalingService inspecting)) return;
        QaTools tools = new QaTools(inspecting, hosting, context.clock(), stage, icons,
                owner -> exportChooser.choose(owner), inspector -> places.remember(inspector, "inspector"),
                work -> Thread.ofPlatform().name("signalbox-qa-stop-server").daemon().start(work));
        chat.addMenu(tools.faults().menu());
        chat.addStatusItem(tools.faults().badge());
        qaTools.put(stage, tools);
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> qaTools.remove(stage));
    }

    /** New-message notifications for a chat window: shown by the desktop while the window is not focused. */
    private DesktopNotifier notifier(Stage chatStage) {
        return new DesktopNotifier(chatStage, icons.isEmpty() ? null : icons.getLast());
    }

    // ---- helpers --------------------------------------------------------------------------------

    private void inform(String header, String text) {
        Alert alert = new Alert(Alert.AlertType.INFORMATION, text, ButtonType.OK);
        alert.setTitle("Signalbox");
        alert.setHeaderText(header);
        dress(alert);
        alert.show();
    }

    /** A dialog that looks like the app and sits over the window the person is using. */
    private void dress(Dialog<?> dialog) {
        focusedWindow().ifPresent(dialog::initOwner);
        if (stylesheet != null) dialog.getDialogPane().getStylesheets().add(stylesheet);
        if (dialog.getDialogPane().getScene().getWindow() instanceof Stage stage) stage.getIcons().setAll(icons);
    }

    private Scene styled(Scene scene) {
        if (stylesheet != null) scene.getStylesheets().add(stylesheet);
        return scene;
    }

    private static Optional<Window> focusedWindow() {
        return Window.getWindows().stream().filter(Window::isFocused).findFirst();
    }

    private static List<Image> loadIcons() {
        List<Image> images = new ArrayList<>();
        for (int size : new int[] {16, 32, 48, 64, 256}) {
            try (InputStream in = AppWindows.class.getResourceAsStream("signalbox-" + size + ".png")) {
                if (in != null) images.add(new Image(in));
            } catch (IOException e) {
                log.warn("cannot read the {} px icon: {}", size, e.getMessage());
            }
        }
        return List.copyOf(images);
    }
}
