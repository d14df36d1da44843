package io.signalbox.app.invite;

import io.signalbox.server.auth.Role;
import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The content of the invite dialog, bound to an {@link InviteViewModel}. */
public final class InviteView {
    private final VBox root = new VBox();

    public InviteView(InviteViewModel viewModel) {
        root.getStyleClass().add("invite");

        ComboBox<Role> role = new ComboBox<>();
        role.setId("inviteRole");
        role.getItems().setAll(viewModel.roles());
        role.valueProperty().bindBidirectional(viewModel.roleProperty());
        role.setCellFactory(list -> new RoleCell(viewModel));
        role.setButtonCell(new RoleCell(viewModel));
        role.setMaxWidth(Double.MAX_VALUE);
        role.setAccessibleText("The guest's role");

        TextField name = new TextField();
        name.setId("inviteName");
        name.setPromptText("optional: the guest chooses");
        name.textProperty().bindBidirectional(viewModel.guestNameProperty());
        name.setAccessibleText("The guest's name (optional)");

        TextField link = new TextField();
        link.setId("invitationLink");
        link.setEditable(false);
        link.getStyleClass().add("link-field");
        link.textProperty().bind(viewModel.linkProperty());
        link.setAccessibleText("The invite link");
        link.setPrefColumnCount(40);

        Button copy = new Button("_Copy");
        copy.setId("copyInvite");
        copy.getStyleClass().add("accent");
        copy.setDefaultButton(true);
        copy.disableProperty().bind(viewModel.linkProperty().isEmpty());
        copy.setAccessibleText("Copy the invite link");
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(viewModel.linkProperty().get());
            Clipboard.getSystemClipboard().setContent(content);
            viewModel.copied();
        });
        HBox linkRow = new HBox(link, copy);
        linkRow.getStyleClass().add("link-row");
        linkRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(link, Priority.ALWAYS);

        GridPane form = new GridPane();
        form.getStyleClass().add("details");
        form.addRow(0, label("_Role", role), role);
        form.addRow(1, label("Guest's _name", name), name);
        form.addRow(2, label("_Link", link), linkRow);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints fields = new ColumnConstraints();
        fields.setHgrow(Priority.ALWAYS);
        form.getColumnConstraints().setAll(labels, fields);

        Label reach = new Label(viewModel.reach());
        reach.setId("inviteReach");
        reach.setWrapText(true);
        reach.setMinHeight(Region.USE_PREF_SIZE);
        reach.getStyleClass().add(viewModel.exposed() ? "warning" : "paragraph");

        Label status = new Label();
        status.getStyleClass().add("status");
        status.setWrapText(true);
        status.setMinHeight(Region.USE_PREF_SIZE);
        status.textProperty().bind(viewModel.statusProperty());
        status.visibleProperty().bind(Bindings.isNotEmpty(viewModel.statusProperty()));
        status.managedProperty().bind(status.visibleProperty());

        root.getChildren().setAll(form, reach, status);
        root.setPrefWidth(620);
    }

    public Parent root() {
        return root;
    }

    private static Label label(String text, javafx.scene.Node target) {
        Label label = new Label(text);
        label.setMnemonicParsing(true);
        label.setLabelFor(target);
        return label;
    }

    private static final class RoleCell extends ListCell<Role> {
        private final InviteViewModel viewModel;

        RoleCell(InviteViewModel viewModel) {
            this.viewModel = viewModel;
        }

        @Override
        protected void updateItem(Role item, boolean empty) {
            super.updateItem(item, empty);
            setText(empty || item == null ? null : viewModel.describe(item));
        }
    }
}
