package io.signalbox.app.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the app remembers between runs. Immutable; change it with the {@code with...} methods and save
 * it through {@link SettingsStore}.
 *
 * @param displayName    the name others see, sent as {@code name=...} in the connection data
 * @param recentSessions the sessions joined lately, newest first
 * @param theme          the chosen look: {@link Theme#SYSTEM} follows the desktop's
 * @param windows        where each kind of window was last, by kind ("start", "chat", "inspector")
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Settings(String displayName, List<RecentSession> recentSessions, Theme theme,
                       Map<String, WindowPlace> windows) {
    /** How many recent sessions are kept. */
    public static final int MAX_RECENT = 10;

    public Settings {
        displayName = displayName == null ? "" : displayName;
        recentSessions = List.copyOf(recentSessions == null ? List.of() : recentSessions);
        // Files from before themes and window places have neither: they default, never fail.
        theme = theme == null ? Theme.SYSTEM : theme;
        windows = windows == null ? Map.of() : Map.copyOf(windows);
    }

    /** The settings of the first versions, which knew no theme and no window places. */
    public Settings(String displayName, List<RecentSession> recentSessions) {
        this(displayName, recentSessions, Theme.SYSTEM, Map.of());
    }

    public static Settings empty() {
        return new Settings("", List.of());
    }

    public Settings withDisplayName(String name) {
        return new Settings(name, recentSessions, theme, windows);
    }

    public Settings withTheme(Theme chosen) {
        return new Settings(displayName, recentSessions, chosen, windows);
    }

    /** Remembers where a kind of window was, replacing what was remembered for that kind. */
    public Settings withWindow(String kind, WindowPlace place) {
        Map<String, WindowPlace> places = new LinkedHashMap<>(windows);
        places.put(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(place, "place"));
        return new Settings(displayName, recentSessions, theme, places);
    }

    /** Puts a session first in the recent list, dropping an older entry for the same one. */
    public Settings withRecent(RecentSession session) {
        List<RecentSession> list = new ArrayList<>();
        list.add(session);
        for (RecentSession r : recentSessions) {
            if (!r.sameSessionAs(session) && list.size() < MAX_RECENT) list.add(r);
        }
        return new Settings(displayName, list, theme, windows);
    }

    /** The app's look. */
    public enum Theme {
        /** Light or dark as the desktop says; light where it says nothing. */
        SYSTEM,
        LIGHT,
        DARK
    }

    /**
     * Where a window was and how big, in screen coordinates.
     *
     * @param maximized whether it filled the screen; the bounds are then those from before
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record WindowPlace(double x, double y, double width, double height, boolean maximized) {
        public WindowPlace {
            if (!(width > 0) || !(height > 0)) throw new IllegalArgumentException("a window has a positive size");
        }
    }

    /**
     * A session joined before.
     *
     * @param label     what the list shows
     * @param serverUrl the server's base URL
     * @param sessionId the session
     * @param token       the token used (so that rejoining takes one click while it is valid)
     * @param lastUsed    when it was joined last
     * @param fingerprint the certificate the invite link named, to trust again on rejoining; empty for
     *                    none (and in files from before it was kept)
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RecentSession(String label, String serverUrl, String sessionId, String token, Instant lastUsed,
                                String fingerprint) {
        public RecentSession {
            Objects.requireNonNull(serverUrl, "serverUrl");
            Objects.requireNonNull(sessionId, "sessionId");
            label = label == null ? "" : label;
            token = token == null ? "" : token;
            fingerprint = fingerprint == null ? "" : fingerprint;
        }

        /** A session of a server with no certificate of its own to trust. */
        public RecentSession(String label, String serverUrl, String sessionId, String token, Instant lastUsed) {
            this(label, serverUrl, sessionId, token, lastUsed, "");
        }

        boolean sameSessionAs(RecentSession other) {
            return serverUrl.equals(other.serverUrl) && sessionId.equals(other.sessionId);
        }
    }
}
