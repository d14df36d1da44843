package io.signalbox.app;

import io.signalbox.app.service.HostedSession;

/** Opens the app's windows; implemented by the composition root. Called on the UI thread. */
public interface Windows {

    /** The first screen: host a session or join one. */
    void showStart();

    /**
     * A main window for a participant that joins {@code target}.
     *
     * @param hosting the session this computer hosts, when this participant is its host; else null
     */
    void openChat(JoinTarget target, HostedSession hosting);

    /** The invite dialog of a hosted session: a link with a role (and optionally a name) to copy. */
    void showInvite(HostedSession hosting);

    /** A second, independent participant in a hosted session, in a window of its own. */
    void openParticipant(HostedSession hosting);

    /**
     * Asks before closing the hosting window, since the session ends for everyone.
     *
     * @return true when the host confirms
     */
    boolean confirmEndHosting(HostedSession hosting);

    /** Opens the folder with the log file, in the system's file manager. */
    void openLogFolder();
}
