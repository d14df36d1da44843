package io.signalbox.app.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and saves {@link Settings} as JSON in the data folder. A damaged file never stops the app: it
 * is set aside as {@code settings.json.damaged} and the app starts from empty settings.
 */
public final class SettingsStore {
    private static final Logger log = LoggerFactory.getLogger(SettingsStore.class);

    private final Path file;
    private final ObjectMapper json = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            // A theme a later version added reads as none, so that the default applies, not "damaged".
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_AS_NULL)
            .build();

    public SettingsStore(Path file) {
        this.file = file;
    }

    public Settings load() {
        if (!Files.exists(file)) return Settings.empty();
        try {
            Settings settings = json.readValue(file.toFile(), Settings.class);
            return settings == null ? Settings.empty() : settings;
        } catch (IOException | RuntimeException e) {
            log.warn("settings in {} cannot be read ({}); starting from empty settings", file, e.getMessage());
            try {
                Files.move(file, file.resolveSibling(file.getFileName() + ".damaged"), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                log.warn("cannot set the damaged settings aside: {}", moveFailed.getMessage());
            }
            return Settings.empty();
        }
    }

    /**
     * Changes part of the settings as they are on disk now and saves them, so that windows that each
     * own a part (the theme, their place) never write back another's stale copy.
     */
    public Settings update(java.util.function.UnaryOperator<Settings> change) {
        Settings next = change.apply(load());
        save(next);
        return next;
    }

    /** Saves atomically: a crash while saving leaves the old file, never half of the new one. */
    public void save(Settings settings) {
        try {
            Files.createDirectories(file.getParent());
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            json.writeValue(temp.toFile(), settings);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            log.warn("cannot save settings to {}: {}", file, e.getMessage());
        }
    }
}
