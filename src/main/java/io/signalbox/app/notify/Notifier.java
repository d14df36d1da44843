package io.signalbox.app.notify;

/**
 * Tells the person about a new message for them while they look elsewhere. ViewModels call it; the
 * app's implementation shows a desktop notification when the window is not focused, and tests pass a
 * recording one. Called on the UI thread.
 */
@FunctionalInterface
public interface Notifier {
    /** Tells nothing: for windows and tests that want no notifications. */
    Notifier NONE = notice -> { };

    void notify(MessageNotice notice);
}
