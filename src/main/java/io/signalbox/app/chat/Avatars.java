package io.signalbox.app.chat;

import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.scene.shape.Circle;

/** Round avatars with initials, in a colour that stays the same for a name: how people are told apart at a glance. */
final class Avatars {
    private Avatars() {}

    /** An avatar node whose look {@link #show} sets; made once per cell and reused. */
    static StackPane create(double radius) {
        Circle circle = new Circle(radius);
        circle.getStyleClass().add("avatar-circle");
        Label initials = new Label();
        initials.getStyleClass().add("avatar-initials");
        StackPane avatar = new StackPane(circle, initials);
        avatar.getStyleClass().add("avatar");
        avatar.setMinSize(radius * 2, radius * 2);
        avatar.setMaxSize(radius * 2, radius * 2);
        return avatar;
    }

    /** Shows a name's initials in its colour; {@code everyone} draws the group avatar instead. */
    static void show(StackPane avatar, String name, boolean everyone) {
        Circle circle = (Circle) avatar.getChildren().get(0);
        Label initials = (Label) avatar.getChildren().get(1);
        if (everyone) {
            circle.setFill(Color.web("#4f46e5"));
            initials.setText("#");
            return;
        }
        circle.setFill(colorOf(name));
        initials.setText(initialsOf(name));
    }

    static String initialsOf(String name) {
        String[] words = name.strip().split("\\s+");
        if (words.length == 0 || words[0].isEmpty()) return "?";
        StringBuilder initials = new StringBuilder();
        initials.appendCodePoint(Character.toUpperCase(words[0].codePointAt(0)));
        if (words.length > 1) initials.appendCodePoint(Character.toUpperCase(words[words.length - 1].codePointAt(0)));
        return initials.toString();
    }

    /** A muted, readable colour picked by the name's hash. */
    static Color colorOf(String name) {
        double hue = Math.floorMod(name.hashCode(), 360);
        return Color.hsb(hue, 0.45, 0.72);
    }
}
