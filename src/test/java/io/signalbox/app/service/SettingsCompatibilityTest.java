package io.signalbox.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.app.service.Settings.Theme;
import io.signalbox.app.service.Settings.WindowPlace;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings files from other versions: older ones lack fields, newer ones have more; both load. */
class SettingsCompatibilityTest {
    @TempDir
    Path dir;

    private Path write(String json) throws Exception {
        Path file = dir.resolve("settings.json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    @Test
    @DisplayName("a file from before themes and window places loads, with the system theme and no places")
    void olderFile() throws Exception {
        Path file = write("""
                {"displayName":"Ada","recentSessions":[{"label":"a","serverUrl":"http://a:1","sessionId":"s","token":"t",
                "lastUsed":"2025-01-01T10:00:00Z"}]}""");

        Settings settings = new SettingsStore(file).load();

        assertThat(settings.displayName()).isEqualTo("Ada");
        assertThat(settings.recentSessions()).hasSize(1);
        assertThat(settings.theme()).isEqualTo(Theme.SYSTEM);
        assertThat(settings.windows()).isEmpty();
        assertThat(dir.resolve("settings.json.damaged")).doesNotExist();
    }

    @Test
    @DisplayName("fields this version does not know are skipped, the rest is read")
    void newerFile() throws Exception {
        Path file = write("""
                {"displayName":"Ada","theme":"DARK","fontScale":1.2,
                 "windows":{"chat":{"x":10,"y":20,"width":900,"height":600,"maximized":false,"screen":"HDMI-1"}}}""");

        Settings settings = new SettingsStore(file).load();

        assertThat(settings.theme()).isEqualTo(Theme.DARK);
        assertThat(settings.windows()).containsEntry("chat", new WindowPlace(10, 20, 900, 600, false));
    }

    @Test
    @DisplayName("a theme this version does not know falls back to the system's")
    void unknownTheme() throws Exception {
        Path file = write("{\"displayName\":\"Ada\",\"theme\":\"SEPIA\"}");

        Settings settings = new SettingsStore(file).load();

        assertThat(settings.theme()).isEqualTo(Theme.SYSTEM);
        assertThat(settings.displayName()).isEqualTo("Ada");
    }

    @Test
    @DisplayName("theme and window places are saved and loaded back; each kind of window has its own place")
    void roundTrip() {
        SettingsStore store = new SettingsStore(dir.resolve("settings.json"));
        store.save(Settings.empty().withDisplayName("Ada").withTheme(Theme.LIGHT)
                .withWindow("chat", new WindowPlace(1, 2, 800, 500, false))
                .withWindow("inspector", new WindowPlace(3, 4, 700, 300, true)));

        store.update(s -> s.withWindow("chat", new WindowPlace(5, 6, 810, 510, false)));

        Settings back = store.load();
        assertThat(back.theme()).isEqualTo(Theme.LIGHT);
        assertThat(back.windows()).containsEntry("chat", new WindowPlace(5, 6, 810, 510, false))
                .containsEntry("inspector", new WindowPlace(3, 4, 700, 300, true));
        assertThat(back.displayName()).isEqualTo("Ada");
    }
}
