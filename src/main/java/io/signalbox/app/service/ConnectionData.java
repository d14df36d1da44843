package io.signalbox.app.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The connection data the app puts a display name in: {@code name=...}, form-encoded. */
public final class ConnectionData {
    private ConnectionData() {}

    /** {@code name=<encoded name>}, or empty for a blank name. */
    public static String forName(String displayName) {
        if (displayName == null || displayName.isBlank()) return "";
        return "name=" + URLEncoder.encode(displayName.strip(), StandardCharsets.UTF_8);
    }
}
