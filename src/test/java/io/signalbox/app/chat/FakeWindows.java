package io.signalbox.app.chat;

import io.signalbox.app.JoinTarget;
import io.signalbox.app.Windows;
import io.signalbox.app.service.HostedSession;
import java.util.ArrayList;
import java.util.List;

/** {@link Windows} that records what was asked of it, and answers the host's question as told. */
final class FakeWindows implements Windows {
    /** What was asked, in order: "showInvite", "openParticipant", "confirmEndHosting", "openLogFolder", ... */
    final List<String> calls = new ArrayList<>();
    /** The host's answer to "end the session?". */
    boolean confirmEnd = true;

    @Override
    public void showStart() {
        calls.add("showStart");
    }

    @Override
    public void openChat(JoinTarget target, HostedSession hosting) {
        calls.add("openChat");
    }

    @Override
    public void showInvite(HostedSession hosting) {
        calls.add("showInvite");
    }

    @Override
    public void openParticipant(HostedSession hosting) {
        calls.add("openParticipant");
    }

    @Override
    public boolean confirmEndHosting(HostedSession hosting) {
        calls.add("confirmEndHosting");
        return confirmEnd;
    }

    @Override
    public void openLogFolder() {
        calls.add("openLogFolder");
    }
}
