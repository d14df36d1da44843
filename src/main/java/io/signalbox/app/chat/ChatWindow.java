package io.signalbox.app.chat;

import io.signalbox.app.AppContext;
import io.signalbox.app.JoinTarget;
import io.signalbox.app.service.HostedSession;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/**
 * The main window of one participant. (Being written: this first version only shows where the chat
 * will be; the constructor and {@link #show()} are the contract the rest of the app uses.)
 */
public final class ChatWindow {
    private final Stage stage = new Stage();

    public ChatWindow(AppContext context, JoinTarget target, HostedSession hosting) {
        stage.setTitle("Signalbox");
        stage.setScene(new Scene(new Label("Joining " + target.sessionId()), 900, 600));
    }

    public Stage stage() {
        return stage;
    }

    public void show() {
        stage.show();
    }
}
