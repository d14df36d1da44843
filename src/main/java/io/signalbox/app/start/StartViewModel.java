package io.signalbox.app.start;

import io.signalbox.app.BackgroundTasks;
import io.signalbox.app.JoinTarget;
import io.signalbox.app.Windows;
import io.signalbox.app.service.HostedSession;
import io.signalbox.app.service.InviteLink;
import io.signalbox.app.service.Settings;
import io.signalbox.app.service.Settings.RecentSession;
import io.signalbox.app.service.SettingsStore;
import io.signalbox.server.auth.Role;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first screen: the person's name, hosting a session on this computer, joining one by invite link
 * or by its details, and the sessions joined lately. Inputs are plain properties the view binds both
 * ways; everything else is read-only or derived. Runs on the UI thread; blocking work (starting the
 * embedded server) goes through {@link BackgroundTasks}.
 */
public final class StartViewModel {
    private static final Logger log = LoggerFactory.getLogger(StartViewModel.class);

    /** Longer names would crowd every list they appear in. */
    public static final int MAX_NAME_LENGTH = 64;

    /** Starts the embedded server for a hosted session: {@link HostedSession#start} in the app. */
    @FunctionalInterface
    public interface HostStarter {
        HostedSession start(boolean onNetwork) throws Exception;
    }

    private final SettingsStore store;
    private final Windows windows;
    private final HostStarter hostStarter;
    private final BackgroundTasks tasks;
    private final Clock clock;

    /** The settings as last loaded or saved; replaced (never mutated) by the verbs, on the UI thread. */
    private Settings settings;
    /** Set once the screen has closed: a hosted session that finishes starting after that is ended. */
    private boolean disposed;

    private final StringProperty displayName = new SimpleStringProperty(this, "displayName", "");
    private final StringProperty inviteLink = new SimpleStringProperty(this, "inviteLink", "");
    private final StringProperty serverUrl = new SimpleStringProperty(this, "serverUrl", "");
    private final StringProperty sessionId = new SimpleStringProperty(this, "sessionId", "");
    private final StringProperty token = new SimpleStringProperty(this, "token", "");
    private final BooleanProperty shareOnNetwork = new SimpleBooleanProperty(this, "shareOnNetwork", false);

    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy", false);
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(this, "status", "");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");
    private final ObservableList<RecentSession> recents = FXCollections.observableArrayList();
    private final ObservableList<RecentSession> recentsView = FXCollections.unmodifiableObservableList(recents);

    private final StringBinding nameProblem = Bindings.createStringBinding(
            () -> nameProblem(displayName.get()), displayName);
    private final StringBinding joinProblem = Bindings.createStringBinding(
            () -> joinProblem(inviteLink.get(), serverUrl.get(), sessionId.get(), token.get()),
            inviteLink, serverUrl, sessionId, token);
    private final BooleanBinding joinInputWrong = Bindings.createBooleanBinding(
            () -> joinInputWrong(inviteLink.get(), serverUrl.get()), inviteLink, serverUrl);
    private final BooleanBinding canHost = Bindings.createBooleanBinding(
            () -> !busy.get() && nameProblem.get().isEmpty(), busy, nameProblem);
    private final BooleanBinding canJoin = Bindings.createBooleanBinding(
            () -> !busy.get() && nameProblem.get().isEmpty() && joinProblem.get().isEmpty(),
            busy, nameProblem, joinProblem);
    private final StringBinding networkNote = Bindings.createStringBinding(
            () -> shareOnNetwork.get() ? NETWORK_NOTE : "", shareOnNetwork);

    /** What hosting on the local network means for the messages, for the person deciding to. */
    static final String NETWORK_NOTE = "Messages are encrypted (TLS) on your network. Your invite link names this "
            + "computer's certificate, so guests' Signalbox connects to this computer and no other.";

    /**
     * @param store       where the name and the recent sessions are kept
     * @param windows     opens the chat window
     * @param hostStarter starts an embedded server; called on a background thread
     * @param tasks       runs the host starter off the UI thread
     * @param clock       stamps recent sessions and ages them
     */
    public StartViewModel(SettingsStore store, Windows windows, HostStarter hostStarter, BackgroundTasks tasks,
                          Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.windows = Objects.requireNonNull(windows, "windows");
        this.hostStarter = Objects.requireNonNull(hostStarter, "hostStarter");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = store.load();
        displayName.set(settings.displayName());
        recents.setAll(settings.recentSessions());
        // A pasted link fills the detail fields, so that the person sees what they are joining.
        inviteLink.addListener((obs, old, now) -> fillFromLink(now));
        // People paste links wherever the cursor is: a link in the server field is taken as the link.
        serverUrl.addListener((obs, old, now) -> {
            if (InviteLink.looksLikeLink(now)) inviteLink.set(now.strip());
        });
    }

    // ---- inputs ---------------------------------------------------------------------------------

    public StringProperty displayNameProperty() {
        return displayName;
    }

    /** A pasted {@code signalbox://join?...} link; when it reads well it fills the detail fields. */
    public StringProperty inviteLinkProperty() {
        return inviteLink;
    }

    public StringProperty serverUrlProperty() {
        return serverUrl;
    }

    public StringProperty sessionIdProperty() {
        return sessionId;
    }

    public StringProperty tokenProperty() {
        return token;
    }

    /** Whether a hosted session accepts others on the local network (over TLS) or only this computer. */
    public BooleanProperty shareOnNetworkProperty() {
        return shareOnNetwork;
    }

    // ---- state ----------------------------------------------------------------------------------

    /** True while a hosted session is starting. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** What is going on, in words ("Starting a session on this computer..."), or empty. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** Why the last host or join did not happen, in words, or empty. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** What keeps the name from being used, or empty when it is fine. */
    public StringBinding nameProblemProperty() {
        return nameProblem;
    }

    /** What keeps Join from working (a bad link, a missing field, a bad URL), or empty when ready. */
    public StringBinding joinProblemProperty() {
        return joinProblem;
    }

    /**
     * Whether {@link #joinProblemProperty()} is a mistake in what was entered (a damaged link, a bad
     * address) rather than something not entered yet, so that the view can show it as an error.
     */
    public BooleanBinding joinInputWrongProperty() {
        return joinInputWrong;
    }

    public BooleanBinding canHostProperty() {
        return canHost;
    }

    public BooleanBinding canJoinProperty() {
        return canJoin;
    }

    /** What hosting on the network means for privacy, while it is chosen; empty otherwise. */
    public StringBinding networkNoteProperty() {
        return networkNote;
    }

    /** The sessions joined lately, newest first. */
    public ObservableList<RecentSession> recentSessions() {
        return recentsView;
    }

    /** A line about a recent session for the list: "Session 1_MX4x…Q2 · 5 minutes ago". */
    public String describe(RecentSession recent) {
        String sid = recent.sessionId();
        String shortId = sid.length() <= 16 ? sid : sid.substring(0, 8) + "…" + sid.substring(sid.length() - 6);
        String when = recent.lastUsed() == null ? "" : " · " + ago(Duration.between(recent.lastUsed(), clock.instant()));
        return "Session " + shortId + when;
    }

    // ---- verbs ----------------------------------------------------------------------------------

    /**
     * Starts a hosted session in the background; once the server is up, mints the host's moderator
     * token and opens the chat window on it.
     */
    public void host() {
        if (!canHost.get()) return;
        String name = displayName.get().strip();
        boolean onNetwork = shareOnNetwork.get();
        error.set("");
        status.set(onNetwork ? "Starting a session open to your local network…" : "Starting a session on this computer…");
        busy.set(true);
        tasks.run(() -> hostStarter.start(onNetwork), hosting -> onHostStarted(hosting, name), this::onHostFailed);
    }

    /** Joins the session in the detail fields (which a pasted link fills) and remembers it. */
    public void join() {
        if (!canJoin.get()) return;
        URI url = serverUri(serverUrl.get()).orElseThrow();
        String sid = sessionId.get().strip();
        String tok = token.get().strip();
        openJoined(new RecentSession(label(url), url.toString(), sid, tok, clock.instant(),
                linkFingerprint(inviteLink.get(), url)));
    }

    /** Joins a recent session again with the token it was joined with. */
    public void rejoin(RecentSession recent) {
        if (recent == null || busy.get()) return;
        if (!nameProblem.get().isEmpty()) {
            error.set(nameProblem.get());
            return;
        }
        if (recent.token().isBlank() || serverUri(recent.serverUrl()).isEmpty()) {
            serverUrl.set(recent.serverUrl());
            sessionId.set(recent.sessionId());
            error.set("This recent session has no usable token saved. Paste a new invite link to join it.");
            return;
        }
        openJoined(new RecentSession(recent.label(), recent.serverUrl(), recent.sessionId(), recent.token(),
                clock.instant(), recent.fingerprint()));
    }

    /** Removes a session from the recent list. */
    public void forget(RecentSession recent) {
        if (recent == null) return;
        List<RecentSession> kept = settings.recentSessions().stream().filter(r -> !r.equals(recent)).toList();
        save(new Settings(settings.displayName(), kept));
    }

    /** Opens the folder with the log file, for a person asked to send it. */
    public void openLogFolder() {
        windows.openLogFolder();
    }

    /**
     * The screen has closed. A name typed but not yet used is kept for next time, and a hosted session
     * still starting is ended when it is up, as no window would show it.
     */
    public void dispose() {
        disposed = true;
        String name = displayName.get().strip();
        if (nameProblem.get().isEmpty() && !name.equals(settings.displayName())) save(settings.withDisplayName(name));
    }

    // ---- how the verbs end ----------------------------------------------------------------------

    private void onHostStarted(HostedSession hosting, String name) {
        busy.set(false);
        status.set("");
        if (disposed) {
            hosting.close();
            return;
        }
        try {
            String hostToken = hosting.token(Role.MODERATOR, name);
            save(settings.withDisplayName(name));
            // A hosted session is not added to the recent list: its server ends with its window, so
            // the entry could never be joined again.
            windows.openChat(new JoinTarget(hosting.url(), hosting.sessionId(), hostToken, name, hosting.fingerprint()),
                    hosting);
        } catch (RuntimeException e) {
            log.error("the hosted session started but its window could not open", e);
            hosting.close();
            error.set("The session started, but its window could not open. The details are in the log file.");
        }
    }

    private void onHostFailed(Throwable failure) {
        log.error("could not start hosting a session", failure);
        busy.set(false);
        status.set("");
        String reason = failure.getMessage() == null || failure.getMessage().isBlank() ? ""
                : " (" + failure.getMessage().strip() + ")";
        error.set("Signalbox could not start a session on this computer" + reason
                + ". Try again; if it keeps failing, the details are in the log file.");
    }

    private void openJoined(RecentSession recent) {
        String name = displayName.get().strip();
        error.set("");
        save(settings.withDisplayName(name).withRecent(recent));
        windows.openChat(new JoinTarget(URI.create(recent.serverUrl()), recent.sessionId(), recent.token(), name,
                recent.fingerprint()), null);
    }

    private void save(Settings next) {
        // This screen owns the name and the recent sessions; the theme and the window places may have
        // changed in other windows since it loaded, so those are taken from the file as it is now.
        Settings now = store.load();
        next = new Settings(next.displayName(), next.recentSessions(), now.theme(), now.windows());
        settings = next;
        store.save(next);
        recents.setAll(next.recentSessions());
    }

    private void fillFromLink(String text) {
        if (text == null || text.isBlank()) return;
        try {
            InviteLink link = InviteLink.parse(text);
            serverUrl.set(link.serverUrl().toString());
            sessionId.set(link.sessionId());
            token.set(link.token());
        } catch (IllegalArgumentException notYet) {
            // joinProblem says what is wrong with it; the fields keep what they had.
        }
    }

    // ---- validation, as pure functions ----------------------------------------------------------

    /**
     * The certificate fingerprint to trust for {@code url}: the pasted link's, when the link reads and
     * is for that very server (the person may have typed another address over what it filled in, and
     * that server's certificate is not the one the link names); else none.
     */
    static String linkFingerprint(String link, URI url) {
        if (link == null || link.isBlank()) return "";
        try {
            InviteLink parsed = InviteLink.parse(link);
            return parsed.serverUrl().equals(url) ? parsed.fingerprint() : "";
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    static String nameProblem(String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty()) return "Enter your name, so that others know who you are.";
        if (stripped.length() > MAX_NAME_LENGTH) return "Your name can be at most " + MAX_NAME_LENGTH + " characters long.";
        return "";
    }

    static String joinProblem(String link, String url, String session, String tok) {
        if (link != null && !link.isBlank()) {
            try {
                InviteLink.parse(link);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
        }
        boolean noUrl = url == null || url.isBlank();
        boolean noSession = session == null || session.isBlank();
        boolean noToken = tok == null || tok.isBlank();
        if (noUrl && noSession && noToken) return "Paste an invite link, or enter all three details.";
        if (noUrl) return "Enter the server address.";
        if (serverUri(url).isEmpty()) {
            return "The server address should look like http://192.168.1.20:7400 (http or https, then the computer's name or address).";
        }
        if (noSession) return "Enter the session ID.";
        if (noToken) return "Enter the token.";
        return "";
    }

    static boolean joinInputWrong(String link, String url) {
        boolean badLink = link != null && !link.isBlank() && !joinProblem(link, "x", "x", "x").isEmpty();
        boolean badUrl = url != null && !url.isBlank() && serverUri(url).isEmpty();
        return badLink || badUrl;
    }

    /**
     * The server's address as a URI, when it is a usable http(s) URL. An address typed without a
     * scheme ("192.168.1.20:7400") is taken as http, as people rarely type the scheme.
     */
    static Optional<URI> serverUri(String text) {
        if (text == null || text.isBlank()) return Optional.empty();
        String stripped = text.strip();
        String withScheme = stripped.contains("://") ? stripped : "http://" + stripped;
        try {
            URI uri = new URI(withScheme);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) return Optional.empty();
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    private static String label(URI url) {
        return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
    }

    static String ago(Duration age) {
        long minutes = Math.max(0, age.toMinutes());
        if (minutes < 1) return "just now";
        if (minutes < 60) return minutes == 1 ? "a minute ago" : minutes + " minutes ago";
        long hours = age.toHours();
        if (hours < 24) return hours == 1 ? "an hour ago" : hours + " hours ago";
        long days = age.toDays();
        if (days < 2) return "yesterday";
        return days + " days ago";
    }
}
