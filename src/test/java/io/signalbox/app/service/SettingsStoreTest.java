package io.signalbox.app.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.signalbox.app.service.Settings.RecentSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings on disk: what is saved comes back, a damaged file never stops the app, saving is atomic. */
class SettingsStoreTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("data").resolve("settings.json");
    }

    @Test
    @DisplayName("with no file yet, the settings are empty")
    void noFile() {
        assertThat(new SettingsStore(file()).load()).isEqualTo(Settings.empty());
    }

    @Test
    @DisplayName("what is saved is loaded back, name and recent sessions in order, creating the folder")
    void roundTrip() {
        Settings settings = Settings.empty().withDisplayName("Ada Lovelace")
                .withRecent(new RecentSession("a", "http://a:1", "s-a", "t-a", Instant.parse("2025-01-01T10:00:00Z")))
                .withRecent(new RecentSession("b", "http://b:1", "s-b", "t-b", Instant.parse("2025-01-02T10:00:00Z")));

        new SettingsStore(file()).save(settings);

        Settings back = new SettingsStore(file()).load();
        assertThat(back).isEqualTo(settings);
        assertThat(back.recentSessions()).extracting(RecentSession::sessionId).containsExactly("s-b", "s-a");
    }

    @Test
    @DisplayName("the recent list keeps the newest ten")
    void recentLimit() {
        Settings settings = Settings.empty();
        for (int i = 0; i < 12; i++) {
            settings = settings.withRecent(new RecentSession("", "http://h:1", "s-" + i, "t", Instant.EPOCH.plusSeconds(i)));
        }

        assertThat(settings.recentSessions()).extracting(RecentSession::sessionId)
                .containsExactlyElementsOf(IntStream.iterate(11, i -> i - 1).limit(Settings.MAX_RECENT).mapToObj(i -> "s-" + i).toList());
    }

    @Test
    @DisplayName("a damaged file is set aside as settings.json.damaged and the app starts from empty settings")
    void damagedFileSetAside() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "{\"displayName\": \"Ada\", \"recentSessions\": [{", StandardCharsets.UTF_8);

        Settings loaded = new SettingsStore(file()).load();

        assertThat(loaded).isEqualTo(Settings.empty());
        assertThat(file()).doesNotExist();
        assertThat(file().resolveSibling("settings.json.damaged")).hasContent("{\"displayName\": \"Ada\", \"recentSessions\": [{");
        // The next save starts a good file again.
        new SettingsStore(file()).save(Settings.empty().withDisplayName("Ada"));
        assertThat(new SettingsStore(file()).load().displayName()).isEqualTo("Ada");
    }

    @Test
    @DisplayName("a file with fields this version does not know still loads")
    void unknownFields() throws Exception {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), "{\"displayName\": \"Ada\", \"theme\": \"dark\", \"recentSessions\": []}");

        assertThat(new SettingsStore(file()).load().displayName()).isEqualTo("Ada");
    }

    @Test
    @DisplayName("saving replaces the file whole through a temporary file that does not stay behind")
    void atomicSave() throws Exception {
        SettingsStore store = new SettingsStore(file());
        store.save(Settings.empty().withDisplayName("first"));
        Files.writeString(file().resolveSibling("settings.json.tmp"), "left over from a crash");

        store.save(Settings.empty().withDisplayName("second"));

        assertThat(store.load().displayName()).isEqualTo("second");
        try (var files = Files.list(file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("settings.json");
        }
    }

    @Test
    @DisplayName("a folder that cannot be written loses the save, not the app")
    void unwritableFolder() throws Exception {
        Path blocker = dir.resolve("not-a-folder");
        Files.writeString(blocker, "a file where the folder should be");
        SettingsStore store = new SettingsStore(blocker.resolve("settings.json"));

        store.save(Settings.empty().withDisplayName("Ada"));

        assertThat(store.load()).isEqualTo(Settings.empty());
        assertThat(blocker).isRegularFile();
    }
}
