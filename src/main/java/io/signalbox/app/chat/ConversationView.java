package io.signalbox.app.chat;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ChangeListener;
import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.MenuItem;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;

/**
 * The conversation on screen: a virtualised list (only the rows in view have nodes, so a long history
 * stays smooth), one cell per message or note. It follows the newest message while the reader is at
 * the bottom, and always after the reader's own message.
 */
final class ConversationView extends StackPane {
    /** How close to the end the reader must be for new messages to scroll into view. */
    private static final int FOLLOW_SLACK = 2;
    /**
     * How many pulses may go to bringing the newest row wholly into view: rows differ in height, and
     * the list learns a row's height only once it has laid it out.
     */
    private static final int SETTLE_PULSES = 4;

    private final ListView<ChatItem> list = new ListView<>();
    /** The conversation shown now; replaced when the selection changes. */
    private ConversationViewModel shown;
    private final ListChangeListener<ChatItem> follower = this::follow;
    private final Runnable afterLayout = this::settleAtEnd;
    /** Pulses left in which to bring the newest row wholly into view; 0 when not following. */
    private int settling;

    ConversationView(ConnectionListViewModel connections) {
        getStyleClass().add("conversation");
        list.setId("conversation");
        list.accessibleTextProperty().bind(Bindings.createStringBinding(
                () -> "Messages with " + connections.selected().name(), connections.selectedProperty()));
        list.getStyleClass().add("conversation-list");
        list.setCellFactory(view -> new ItemCell());
        list.setFocusTraversable(false);
        Label empty = new Label("No messages yet. Say hello!");
        empty.getStyleClass().add("conversation-empty");
        list.setPlaceholder(empty);
        getChildren().add(list);

        sceneProperty().addListener((obs, old, now) -> {
            if (old != null) old.removePostLayoutPulseListener(afterLayout);
            if (now != null) now.addPostLayoutPulseListener(afterLayout);
        });
        ChangeListener<Participant> onSelect = (obs, old, now) -> show(now.conversation());
        connections.selectedProperty().addListener(onSelect);
        show(connections.selected().conversation());
    }

    ListView<ChatItem> list() {
        return list;
    }

    private void show(ConversationViewModel conversation) {
        if (shown != null) shown.items().removeListener(follower);
        shown = conversation;
        list.setItems(conversation.items());
        conversation.items().addListener(follower);
        followToEnd();
    }

    private void follow(ListChangeListener.Change<? extends ChatItem> change) {
        if (settling > 0) return;
        boolean mine = false;
        int added = 0;
        while (change.next()) {
            if (!change.wasAdded()) continue;
            added += change.getAddedSize();
            for (ChatItem item : change.getAddedSubList()) {
                if (item instanceof MessageItem message && message.isMine()) mine = true;
            }
        }
        if (added > 0 && (mine || wasNearEnd(change.getList().size() - added))) followToEnd();
    }

    /** Scrolls to the end at the next layout: once per pulse, however many messages arrived in it. */
    private void followToEnd() {
        settling = SETTLE_PULSES;
        requestLayout();
    }

    @Override
    protected void layoutChildren() {
        // The first, estimated jump, before the list lays out; settleAtEnd corrects it after.
        if (settling == SETTLE_PULSES && !list.getItems().isEmpty()) list.scrollTo(list.getItems().size() - 1);
        super.layoutChildren();
    }

    /** After a layout: while following, nudges the list until the newest row is wholly in view. */
    private void settleAtEnd() {
        if (settling == 0) return;
        settling--;
        int last = list.getItems().size() - 1;
        if (last < 0 || !(list.lookup(".virtual-flow") instanceof VirtualFlow<?> flow)) {
            settling = 0;
            return;
        }
        IndexedCell<?> cell = flow.getLastVisibleCell();
        if (cell == null || cell.getIndex() != last) {
            flow.scrollTo(last);
            return;
        }
        double overhang = cell.localToScene(cell.getLayoutBounds()).getMaxY() - flow.localToScene(flow.getLayoutBounds()).getMaxY();
        if (overhang > 0.5) flow.scrollPixels(overhang);
        else settling = 0;
    }

    /** Whether the reader was looking at the end of a list of {@code size} rows. */
    private boolean wasNearEnd(int size) {
        if (!(list.lookup(".virtual-flow") instanceof VirtualFlow<?> flow)) return true;
        IndexedCell<?> last = flow.getLastVisibleCell();
        return last == null || last.getIndex() >= size - 1 - FOLLOW_SLACK;
    }

    /** A row: a message bubble (left for others, right for one's own) or a centred note. */
    private final class ItemCell extends ListCell<ChatItem> {
        private final StackPane avatar = Avatars.create(16);
        private final Label sender = new Label();
        private final Label typeTag = new Label();
        private final Label privateTag = new Label("private");
        private final Label serverTag = new Label("server");
        private final Label time = new Label();
        private final Label text = new Label();
        private final StackPane bubble = new StackPane(text);
        private final Label delivery = new Label();
        private final Hyperlink retry = new Hyperlink("Retry");
        private final Hyperlink discard = new Hyperlink("Discard");
        private final HBox meta = new HBox(6);
        private final HBox actions = new HBox(10, retry, discard);
        private final VBox status = new VBox(1, delivery, actions);
        private final VBox body = new VBox(3, meta, bubble, status);
        private final HBox messageRow = new HBox(10);
        private final Label notice = new Label();
        private final HBox noticeRow = new HBox(notice);
        private final ContextMenu menu = new ContextMenu();
        /** The message this cell shows now, whose properties its labels are bound to; null for a note. */
        private MessageItem bound;

        ItemCell() {
            getStyleClass().add("item-cell");
            setPrefWidth(0);
            sender.getStyleClass().add("message-sender");
            typeTag.getStyleClass().add("type-tag");
            privateTag.getStyleClass().add("private-tag");
            serverTag.getStyleClass().add("server-tag");
            time.getStyleClass().add("message-time");
            text.getStyleClass().add("message-text");
            text.setWrapText(true);
            text.setMinHeight(Region.USE_PREF_SIZE);
            bubble.getStyleClass().add("bubble");
            bubble.setAlignment(Pos.CENTER_LEFT);
            bubble.maxWidthProperty().bind(list.widthProperty().multiply(0.66));
            delivery.getStyleClass().add("delivery");
            delivery.setWrapText(true);
            delivery.maxWidthProperty().bind(list.widthProperty().multiply(0.5));
            retry.getStyleClass().add("message-action");
            discard.getStyleClass().add("message-action");
            for (var node : new Region[] {typeTag, privateTag, serverTag}) {
                node.managedProperty().bind(node.visibleProperty());
            }
            status.managedProperty().bind(status.visibleProperty());
            status.setAlignment(Pos.TOP_RIGHT);
            actions.setAlignment(Pos.CENTER_RIGHT);
            actions.managedProperty().bind(actions.visibleProperty());
            delivery.setTextAlignment(javafx.scene.text.TextAlignment.RIGHT);
            meta.setAlignment(Pos.BASELINE_LEFT);
            body.setFillWidth(false);
            messageRow.setAlignment(Pos.TOP_LEFT);
            notice.getStyleClass().add("notice");
            notice.setWrapText(true);
            noticeRow.setAlignment(Pos.CENTER);
            noticeRow.getStyleClass().add("notice-row");

            retry.setOnAction(e -> {
                if (bound != null) shown.retry(bound);
            });
            discard.setOnAction(e -> {
                if (bound != null) shown.discard(bound);
            });
            MenuItem copy = new MenuItem("Copy text");
            copy.setOnAction(e -> {
                if (bound == null) return;
                ClipboardContent content = new ClipboardContent();
                content.putString(bound.text());
                Clipboard.getSystemClipboard().setContent(content);
            });
            menu.getItems().add(copy);
        }

        @Override
        protected void updateItem(ChatItem item, boolean empty) {
            super.updateItem(item, empty);
            unbind();
            setText(null);
            setContextMenu(null);
            if (empty || item == null) {
                setGraphic(null);
                return;
            }
            switch (item) {
                case MessageItem message -> showMessage(message);
                case NoticeItem note -> showNotice(note);
            }
        }

        private void showMessage(MessageItem message) {
            bound = message;
            boolean mine = message.isMine();
            sender.setText(message.sender());
            typeTag.setText(message.type().isEmpty() ? "(no type)" : message.type());
            typeTag.setVisible(!message.isChat());
            privateTag.setVisible(message.isDirect());
            serverTag.setVisible(message.isFromServer());
            time.textProperty().bind(message.timeTextProperty());
            text.setText(message.text());
            delivery.textProperty().bind(message.deliveryTextProperty());
            status.setVisible(mine && message.delivery() != Delivery.RECEIVED);
            actions.visibleProperty().bind(message.failedProperty());
            message.deliveryProperty().addListener(deliveryStyle);
            styleDelivery(message.delivery());

            bubble.getStyleClass().setAll("bubble", mine ? "bubble-mine" : message.isFromServer() ? "bubble-server" : "bubble-theirs");
            if (!message.isChat()) bubble.getStyleClass().add("bubble-signal");
            text.getStyleClass().setAll("label", "message-text");
            if (!message.isChat()) text.getStyleClass().add("signal-text");

            if (mine) {
                meta.getChildren().setAll(typeTag, privateTag, time);
                meta.setAlignment(Pos.BASELINE_RIGHT);
                body.setAlignment(Pos.TOP_RIGHT);
                messageRow.getChildren().setAll(body);
                messageRow.setAlignment(Pos.TOP_RIGHT);
            } else {
                Avatars.show(avatar, message.sender(), false);
                avatar.getStyleClass().setAll("avatar", message.isFromServer() ? "avatar-server" : "avatar-person");
                meta.getChildren().setAll(sender, serverTag, typeTag, privateTag, time);
                meta.setAlignment(Pos.BASELINE_LEFT);
                body.setAlignment(Pos.TOP_LEFT);
                messageRow.getChildren().setAll(avatar, body);
                messageRow.setAlignment(Pos.TOP_LEFT);
            }
            setContextMenu(menu);
            setGraphic(messageRow);
        }

        private void showNotice(NoticeItem note) {
            notice.setText(note.text() + "  ·  " + note.time());
            notice.getStyleClass().setAll("label", "notice", "notice-" + note.kind().name().toLowerCase(java.util.Locale.ROOT));
            setGraphic(noticeRow);
        }

        private final ChangeListener<Delivery> deliveryStyle = (obs, old, now) -> styleDelivery(now);

        private void styleDelivery(Delivery state) {
            delivery.getStyleClass().setAll("label", "delivery", "delivery-" + state.name().toLowerCase(java.util.Locale.ROOT));
            bubble.pseudoClassStateChanged(Styles.INVALID, state == Delivery.FAILED);
        }

        private void unbind() {
            if (bound != null) bound.deliveryProperty().removeListener(deliveryStyle);
            bound = null;
            time.textProperty().unbind();
            delivery.textProperty().unbind();
            actions.visibleProperty().unbind();
        }
    }
}
