package io.signalbox.app;

import io.signalbox.app.service.AppPaths;
import io.signalbox.app.service.SettingsStore;
import io.signalbox.app.service.SignalingService;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * What the composition root builds once and hands to every window: where files go, the settings,
 * the UI executor, the clock, how to make a participant's {@link SignalingService}, and the windows.
 *
 * @param paths    the data folder
 * @param settings the settings store
 * @param ui       runs work on the UI thread ({@code Platform::runLater})
 * @param clock    the app's clock (ages, "next try in N s")
 * @param services makes a participant's service for the session it joins (its server, session and the
 *                 certificate to trust)
 * @param windows  opens the app's windows
 */
public record AppContext(AppPaths paths, SettingsStore settings, Executor ui, Clock clock,
                         Function<JoinTarget, SignalingService> services, Windows windows) {
    public AppContext {
        Objects.requireNonNull(paths, "paths");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(ui, "ui");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(services, "services");
        Objects.requireNonNull(windows, "windows");
    }
}
