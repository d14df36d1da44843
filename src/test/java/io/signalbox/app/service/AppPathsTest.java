package io.signalbox.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Where the app keeps its files on each platform, and the override. */
class AppPathsTest {
    private static final String HOME = "/home/ada";

    @Test
    @DisplayName("SIGNALBOX_DATA_DIR wins on every platform")
    void override() {
        Map<String, String> env = Map.of("SIGNALBOX_DATA_DIR", "/tmp/sb", "APPDATA", "C:\\Users\\ada\\AppData\\Roaming");

        for (String os : new String[] {"Linux", "Windows 11", "Mac OS X"}) {
            assertThat(AppPaths.forPlatform(env, os, HOME).dataDir()).as(os).isEqualTo(Path.of("/tmp/sb"));
        }
    }

    @Test
    @DisplayName("a blank SIGNALBOX_DATA_DIR is ignored")
    void blankOverride() {
        assertThat(AppPaths.forPlatform(Map.of("SIGNALBOX_DATA_DIR", " "), "Linux", HOME).dataDir())
                .isEqualTo(Path.of(HOME, ".local", "share", "signalbox"));
    }

    @Test
    @DisplayName("Linux: XDG_DATA_HOME/signalbox, else ~/.local/share/signalbox")
    void linux() {
        assertThat(AppPaths.forPlatform(Map.of("XDG_DATA_HOME", "/data"), "Linux", HOME).dataDir())
                .isEqualTo(Path.of("/data", "signalbox"));
        assertThat(AppPaths.forPlatform(Map.of(), "Linux", HOME).dataDir())
                .isEqualTo(Path.of(HOME, ".local", "share", "signalbox"));
    }

    @Test
    @DisplayName("Windows: %APPDATA%\\Signalbox, else the roaming folder under the home folder")
    void windows() {
        assertThat(AppPaths.forPlatform(Map.of("APPDATA", "/appdata"), "Windows 11", HOME).dataDir())
                .isEqualTo(Path.of("/appdata", "Signalbox"));
        assertThat(AppPaths.forPlatform(Map.of(), "Windows 10", HOME).dataDir())
                .isEqualTo(Path.of(HOME, "AppData", "Roaming", "Signalbox"));
    }

    @Test
    @DisplayName("macOS: ~/Library/Application Support/Signalbox")
    void mac() {
        assertThat(AppPaths.forPlatform(Map.of(), "Mac OS X", HOME).dataDir())
                .isEqualTo(Path.of(HOME, "Library", "Application Support", "Signalbox"));
    }

    @Test
    @DisplayName("the settings and the log live in the data folder")
    void files() {
        AppPaths paths = new AppPaths(Path.of("/tmp/sb"));

        assertThat(paths.settingsFile()).isEqualTo(Path.of("/tmp/sb/settings.json"));
        assertThat(paths.logFile()).isEqualTo(Path.of("/tmp/sb/signalbox.log"));
    }
}
