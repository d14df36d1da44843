package io.signalbox.app.theme;

import io.signalbox.app.service.Settings.Theme;
import io.signalbox.app.service.SettingsStore;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;

/**
 * The app's look, one for all its windows: light, dark, or as the desktop says. The choice is kept in
 * the settings; what the desktop says comes in from the view, since only the toolkit knows it.
 */
public final class ThemeViewModel {
    /** The stylesheets, beside the app's other resources. */
    public static final String LIGHT_CSS = "theme-light.css";
    public static final String DARK_CSS = "theme-dark.css";

    private final SettingsStore store;
    /** The person's choice; changed by {@link #choose}, which saves it. */
    private final ReadOnlyObjectWrapper<Theme> chosen;
    /** Whether the desktop prefers dark; written by the view from the platform's preferences. */
    private final BooleanProperty systemDark = new SimpleBooleanProperty(false);
    private final BooleanBinding dark;
    private final StringBinding stylesheet;

    public ThemeViewModel(SettingsStore store) {
        this.store = Objects.requireNonNull(store, "store");
        this.chosen = new ReadOnlyObjectWrapper<>(store.load().theme());
        this.dark = Bindings.createBooleanBinding(
                () -> chosen.get() == Theme.DARK || chosen.get() == Theme.SYSTEM && systemDark.get(), chosen, systemDark);
        this.stylesheet = Bindings.createStringBinding(() -> dark.get() ? DARK_CSS : LIGHT_CSS, dark);
    }

    public ReadOnlyObjectProperty<Theme> chosenProperty() {
        return chosen.getReadOnlyProperty();
    }

    /** Whether the desktop prefers dark; the view keeps it up to date. */
    public BooleanProperty systemDarkProperty() {
        return systemDark;
    }

    /** Whether the app looks dark now. */
    public BooleanBinding darkProperty() {
        return dark;
    }

    /** The theme stylesheet every window carries now, by name. */
    public StringBinding stylesheetProperty() {
        return stylesheet;
    }

    /** Switches every window to {@code theme} and remembers it for the next run. */
    public void choose(Theme theme) {
        Objects.requireNonNull(theme, "theme");
        if (theme == chosen.get()) return;
        chosen.set(theme);
        store.update(settings -> settings.withTheme(theme));
    }
}
