package io.signalbox.app.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the app remembers between runs. Immutable; change it with the {@code with...} methods and save
 * it through {@link SettingsStore}.
 *
 * @param displayName    the name others see, sent as {@code name=...} in the connection data
 * @param recentSessions the sessions joined lately, newest first
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Settings(String displayName, List<RecentSession> recentSessions) {
    /** How many recent sessions are kept. */
    public static final int MAX_RECENT = 10;

    public Settings {
        displayName = displayName == null ? "" : displayName;
        recentSessions = List.copyOf(recentSessions == null ? List.of() : recentSessions);
    }

    public static Settings empty() {
        return new Settings("", List.of());
    }

    public Settings withDisplayName(String name) {
        return new Settings(name, recentSessions);
    }

    /** Puts a session first in the recent list, dropping an older entry for the same one. */
    public Settings withRecent(RecentSession session) {
        List<RecentSession> list = new ArrayList<>();
        list.add(session);
        for (RecentSession r : recentSessions) {
            if (!r.sameSessionAs(session) && list.size() < MAX_RECENT) list.add(r);
        }
        return new Settings(displayName, list);
    }

    /**
     * A session joined before.
     *
     * @param label     what the list shows
     * @param serverUrl the server's base URL
     * @param sessionId the session
     * @param token     the token used (so that rejoining takes one click while it is valid)
     * @param lastUsed  when it was joined last
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RecentSession(String label, String serverUrl, String sessionId, String token, Instant lastUsed) {
        public RecentSession {
            Objects.requireNonNull(serverUrl, "serverUrl");
            Objects.requireNonNull(sessionId, "sessionId");
            label = label == null ? "" : label;
            token = token == null ? "" : token;
        }

        boolean sameSessionAs(RecentSession other) {
            return serverUrl.equals(other.serverUrl) && sessionId.equals(other.sessionId);
        }
    }
}
