package io.signalbox.app.chat;

import io.signalbox.app.AppContext;
import io.signalbox.app.JoinTarget;
import io.signalbox.app.notify.Notifier;
import io.signalbox.app.service.HostedSession;
import io.signalbox.app.service.SignalingService;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Menu;
import javafx.scene.image.Image;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;

/**
 * The main window of one participant: makes its service, its ViewModel and its view, joins the
 * session when shown, and leaves it when closed (ending a hosted session, once the host confirms).
 *
 * <p>Features outside the chat package (the QA tools, the theme) come in through {@link #addMenu} and
 * {@link #addStatusItem}, so that they need not know how the window lays out its nodes.
 */
public final class ChatWindow {
    private static final int[] ICON_SIZES = {16, 32, 48, 64, 256};

    /**
     * Stops a hosted server: on a thread of its own (closing waits for the server), not a daemon, so
     * that the guests are told the session ended before the app's process may end.
     */
    private static final Executor END_HOSTING = work -> Thread.ofPlatform().name("signalbox-end-hosting").start(work);

    private final Stage stage = new Stage();
    private final SignalingService service;
    private final ChatViewModel viewModel;
    private final ChatView view;

    /**
     * @param hostingOrNull the session this computer hosts when this participant is its host, or null
     * @param notifications makes the notifier of new messages for this window's stage (a desktop one
     *                      needs the stage to tell whether it has focus); {@code stage -> Notifier.NONE}
     *                      for none
     */
    public ChatWindow(AppContext context, JoinTarget target, HostedSession hostingOrNull,
                      Function<Stage, Notifier> notifications) {
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(target, "target");
        Notifier notifier = Objects.requireNonNull(notifications.apply(stage), "the notifier made");
        service = context.services().apply(target);
        viewModel = new ChatViewModel(service, target, hostingOrNull, context.windows(), notifier, context.clock(),
                END_HOSTING);
        view = new ChatView(viewModel, context.clock(), this::leave);

        Scene scene = new Scene(view, 1040, 700);
        scene.getStylesheets().add(Objects.requireNonNull(ChatWindow.class.getResource("/io/signalbox/app/chat.css"),
                "chat.css").toExternalForm());
        stage.setScene(scene);
        stage.titleProperty().bind(viewModel.windowTitleProperty());
        stage.setMinWidth(640);
        stage.setMinHeight(440);
        for (int size : ICON_SIZES) {
            var icon = ChatWindow.class.getResource("/io/signalbox/app/signalbox-" + size + ".png");
            if (icon != null) stage.getIcons().add(new Image(icon.toExternalForm()));
        }
        stage.setOnCloseRequest(this::closeRequested);
        stage.setOnHidden(e -> view.dispose());
    }

    public Stage stage() {
        return stage;
    }

    /** Adds a menu to the menu bar, after the window's own and those added before it, ahead of Help. */
    public void addMenu(Menu menu) {
        view.addMenu(Objects.requireNonNull(menu, "menu"));
    }

    /** Adds a node at the end of the status bar, after the link's state. */
    public void addStatusItem(Node item) {
        view.addStatusItem(Objects.requireNonNull(item, "item"));
    }

    /** Shows the window and joins the session. */
    public void show() {
        stage.show();
        viewModel.connect();
        view.focusComposer();
    }

    /** Closes the window as its close button does: the host is asked first. */
    public void leave() {
        if (viewModel.close()) stage.close();
    }

    ChatViewModel viewModel() {
        return viewModel;
    }

    ChatView view() {
        return view;
    }

    SignalingService service() {
        return service;
    }

    private void closeRequested(WindowEvent event) {
        if (!viewModel.close()) event.consume();
    }
}
