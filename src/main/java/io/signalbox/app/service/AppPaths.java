package io.signalbox.app.service;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where the app keeps its files: settings, recent sessions, the log, and the certificate for hosting. {@code SIGNALBOX_DATA_DIR}
 * overrides the platform's place (tests and portable installs use it).
 *
 * @param dataDir the folder
 */
public record AppPaths(Path dataDir) {

    /** The platform's place for an app's data, from the environment and system properties given. */
    public static AppPaths forPlatform(Map<String, String> env, String osName, String userHome) {
        String override = env.get("SIGNALBOX_DATA_DIR");
        if (override != null && !override.isBlank()) return new AppPaths(Path.of(override));
        String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            String appData = env.get("APPDATA");
            return new AppPaths(appData != null ? Path.of(appData, "Signalbox")
                    : Path.of(userHome, "AppData", "Roaming", "Signalbox"));
        }
        if (os.contains("mac")) {
            return new AppPaths(Path.of(userHome, "Library", "Application Support", "Signalbox"));
        }
        String xdg = env.get("XDG_DATA_HOME");
        return new AppPaths(xdg != null && !xdg.isBlank() ? Path.of(xdg, "signalbox")
                : Path.of(userHome, ".local", "share", "signalbox"));
    }

    /** The current platform's place. */
    public static AppPaths current() {
        return forPlatform(System.getenv(), System.getProperty("os.name"), System.getProperty("user.home"));
    }

    public Path settingsFile() {
        return dataDir.resolve("settings.json");
    }

    public Path logFile() {
        return dataDir.resolve("signalbox.log");
    }

    /** This computer's certificate and key for hosting on the local network (PKCS#12). */
    public Path hostCertificateFile() {
        return dataDir.resolve("host-certificate.p12");
    }
}
