package io.signalbox.app;

import io.signalbox.app.service.Settings.WindowPlace;
import io.signalbox.app.service.SettingsStore;
import java.util.Objects;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * Remembers where each kind of window was and how big, and puts the next one of that kind back there,
 * unless that place is on no screen now (a monitor unplugged since).
 */
public final class WindowPlaces {
    private final SettingsStore store;

    public WindowPlaces(SettingsStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /** Restores {@code stage} to its kind's last place, if any, and saves its place when it closes. */
    public void remember(Stage stage, String kind) {
        WindowPlace place = store.load().windows().get(kind);
        if (place != null && onSomeScreen(place)) {
            stage.setX(place.x());
            stage.setY(place.y());
            stage.setWidth(place.width());
            stage.setHeight(place.height());
            stage.setMaximized(place.maximized());
        }
        stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDING, e -> save(stage, kind));
    }

    private void save(Stage stage, String kind) {
        if (!(stage.getWidth() > 0) || !(stage.getHeight() > 0)) return;
        // Maximized, the stage's bounds are the screen's; the place before stays, so that
        // un-maximizing next time returns to it.
        WindowPlace before = store.load().windows().get(kind);
        WindowPlace now = stage.isMaximized() && before != null
                ? new WindowPlace(before.x(), before.y(), before.width(), before.height(), true)
                : new WindowPlace(stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized());
        store.update(settings -> settings.withWindow(kind, now));
    }

    /** Whether enough of the window's title bar would be on a screen to grab it. */
    private static boolean onSomeScreen(WindowPlace place) {
        Rectangle2D titleBar = new Rectangle2D(place.x(), place.y(), Math.max(1, place.width()), 32);
        return Screen.getScreens().stream().anyMatch(s -> s.getVisualBounds().intersects(titleBar));
    }
}
