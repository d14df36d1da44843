package io.signalbox.app.notify;

import java.util.Objects;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/**
 * Shows a ControlsFX notification for one window's new messages, only while that window is not
 * focused: someone reading the conversation needs no popup about it. Clicking it brings the window up.
 */
public final class DesktopNotifier implements Notifier {
    private final Stage window;
    /** The app's icon beside the words, or null. */
    private final Image icon;

    public DesktopNotifier(Stage window, Image icon) {
        this.window = Objects.requireNonNull(window, "window");
        this.icon = icon;
    }

    @Override
    public void notify(MessageNotice notice) {
        if (window.isFocused() || !window.isShowing()) return;
        ImageView graphic = null;
        if (icon != null) {
            graphic = new ImageView(icon);
            graphic.setFitWidth(32);
            graphic.setFitHeight(32);
        }
        Notifications.create()
                .owner(window)
                .title(notice.title())
                .text(notice.text())
                .graphic(graphic)
                .hideAfter(Duration.seconds(6))
                .onAction(e -> {
                    window.setIconified(false);
                    window.toFront();
                    window.requestFocus();
                })
                .show();
    }
}
