package io.signalbox.app.theme;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.app.service.Settings;
import io.signalbox.app.service.Settings.Theme;
import io.signalbox.app.service.SettingsStore;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The theme choice, without the toolkit: what it shows, what it follows, what it remembers. */
class ThemeViewModelTest {
    @TempDir
    Path dir;

    private SettingsStore store() {
        return new SettingsStore(dir.resolve("settings.json"));
    }

    @Test
    @DisplayName("with no choice saved, the theme follows the desktop: light until it says dark")
    void followsTheDesktop() {
        ThemeViewModel theme = new ThemeViewModel(store());

        assertThat(theme.chosenProperty().get()).isEqualTo(Theme.SYSTEM);
        assertThat(theme.stylesheetProperty().get()).isEqualTo(ThemeViewModel.LIGHT_CSS);
        theme.systemDarkProperty().set(true);
        assertThat(theme.darkProperty().get()).isTrue();
        assertThat(theme.stylesheetProperty().get()).isEqualTo(ThemeViewModel.DARK_CSS);
    }

    @Test
    @DisplayName("a chosen theme holds whatever the desktop says")
    void choiceWins() {
        ThemeViewModel theme = new ThemeViewModel(store());
        theme.systemDarkProperty().set(true);

        theme.choose(Theme.LIGHT);
        assertThat(theme.stylesheetProperty().get()).isEqualTo(ThemeViewModel.LIGHT_CSS);
        theme.systemDarkProperty().set(false);
        theme.choose(Theme.DARK);
        assertThat(theme.stylesheetProperty().get()).isEqualTo(ThemeViewModel.DARK_CSS);
    }

    @Test
    @DisplayName("the choice is saved without touching the rest of the settings, and read back next run")
    void remembered() {
        store().save(Settings.empty().withDisplayName("Ada"));

        new ThemeViewModel(store()).choose(Theme.DARK);

        assertThat(store().load().displayName()).isEqualTo("Ada");
        assertThat(store().load().theme()).isEqualTo(Theme.DARK);
        assertThat(new ThemeViewModel(store()).chosenProperty().get()).isEqualTo(Theme.DARK);
    }
}
