package io.signalbox.app.theme;

import io.signalbox.app.service.Settings.Theme;
import java.net.URL;
import java.util.Objects;
import javafx.application.ColorScheme;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.Scene;
import javafx.scene.control.Menu;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.ToggleGroup;
import javafx.stage.Window;

/**
 * Puts the theme's stylesheet on every window the app opens, now and whenever it changes, and feeds
 * the desktop's light or dark preference to the {@link ThemeViewModel}. One for the app.
 */
public final class ThemeView {
    private final ThemeViewModel viewModel;
    private final String lightUrl;
    private final String darkUrl;
    /** Dresses each window as it opens; removed by {@link #dispose}, as the window list outlives the app. */
    private final ListChangeListener<Window> opened = change -> {
        while (change.next()) change.getAddedSubList().forEach(this::dress);
    };

    public ThemeView(ThemeViewModel viewModel) {
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
        this.lightUrl = url(ThemeViewModel.LIGHT_CSS);
        this.darkUrl = url(ThemeViewModel.DARK_CSS);
        followDesktop();
        Window.getWindows().addListener(opened);
        Window.getWindows().forEach(this::dress);
        viewModel.stylesheetProperty().addListener((o, was, now) -> Window.getWindows().forEach(w -> apply(w.getScene())));
    }

    /** The View menu's "Theme" submenu: System, Light, Dark, one of them ticked. */
    public Menu menu() {
        Menu menu = new Menu("_Theme");
        menu.setId("theme-menu");
        ToggleGroup group = new ToggleGroup();
        for (Theme theme : Theme.values()) {
            RadioMenuItem item = new RadioMenuItem(switch (theme) {
                case SYSTEM -> "_System";
                case LIGHT -> "_Light";
                case DARK -> "_Dark";
            });
            item.setId("theme-" + theme.name().toLowerCase(java.util.Locale.ROOT));
            item.setToggleGroup(group);
            item.setSelected(viewModel.chosenProperty().get() == theme);
            item.setOnAction(e -> viewModel.choose(theme));
            // Another window's menu may change the theme: every menu shows the choice in force.
            viewModel.chosenProperty().addListener((o, was, now) -> item.setSelected(now == theme));
            menu.getItems().add(item);
        }
        return menu;
    }

    /** Stops dressing new windows, when the app stops. */
    public void dispose() {
        Window.getWindows().removeListener(opened);
        viewModel.systemDarkProperty().unbind();
    }

    private void followDesktop() {
        try {
            var preferences = Platform.getPreferences();
            viewModel.systemDarkProperty().bind(preferences.colorSchemeProperty().isEqualTo(ColorScheme.DARK));
        } catch (RuntimeException | LinkageError e) {
            // A platform that tells nothing (a headless one) leaves the light default.
        }
    }

    private void dress(Window window) {
        apply(window.getScene());
        // A window may get its scene after it is listed (dialogs do).
        window.sceneProperty().addListener((o, was, now) -> apply(now));
    }

    private void apply(Scene scene) {
        if (scene == null) return;
        String wanted = viewModel.darkProperty().get() ? darkUrl : lightUrl;
        String other = wanted.equals(darkUrl) ? lightUrl : darkUrl;
        scene.getStylesheets().remove(other);
        // Last, so that it overrides the app's and the chat window's sheets.
        scene.getStylesheets().remove(wanted);
        scene.getStylesheets().add(wanted);
    }

    private static String url(String name) {
        URL url = ThemeView.class.getResource("/io/signalbox/app/" + name);
        return Objects.requireNonNull(url, name).toExternalForm();
    }
}
