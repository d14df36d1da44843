package io.signalbox.app.qa;

import io.signalbox.app.qa.SignalInspectorViewModel.Column;
import io.signalbox.app.qa.SignalInspectorViewModel.Format;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.transformation.SortedList;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/**
 * The signal inspector's content: a filter (text and the column it looks in), the table of signals in
 * and out with their live state, and Export… to CSV or JSON Lines. It builds and binds nodes; the
 * {@link SignalInspectorViewModel} filters and writes.
 */
public final class SignalInspectorView extends BorderPane {
    /** Where to export to, and in which format. */
    public record ExportChoice(Path file, Format format) {
        public ExportChoice {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(format, "format");
        }
    }

    /** Asks where to export; empty when the person cancels. */
    @FunctionalInterface
    public interface ExportChooser {
        Optional<ExportChoice> choose(Window owner);
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

    private final SignalInspectorViewModel viewModel;
    private final ExportChooser chooser;
    private final TableView<SignalRecord> table = new TableView<>();
    /** What the last export did, in words. */
    private final Label exportResult = new Label();

    public SignalInspectorView(SignalInspectorViewModel viewModel, ZoneId zone, ExportChooser chooser) {
        this.viewModel = Objects.requireNonNull(viewModel, "viewModel");
        this.chooser = Objects.requireNonNull(chooser, "chooser");
        getStyleClass().add("inspector");

        TextField filter = new TextField();
        filter.setId("inspector-filter");
        filter.setPromptText("Filter");
        filter.setAccessibleText("Filter the signals");
        filter.textProperty().bindBidirectional(viewModel.filterProperty());
        HBox.setHgrow(filter, Priority.ALWAYS);

        ComboBox<Column> column = new ComboBox<>(FXCollections.observableArrayList(Column.values()));
        column.setId("inspector-column");
        column.setAccessibleText("Column the filter looks in");
        column.valueProperty().bindBidirectional(viewModel.columnProperty());

        Label count = new Label();
        count.setId("inspector-count");
        count.textProperty().bind(Bindings.createStringBinding(
                () -> viewModel.shown().size() + " of " + viewModel.all().size() + " signals", viewModel.shown(), viewModel.all()));

        Button export = new Button("_Export…");
        export.setId("inspector-export");
        export.setAccessibleText("Export the signals shown to a CSV or JSON Lines file");
        export.setOnAction(e -> export());

        HBox bar = new HBox(8, new Label("Filter"), filter, new Label("in"), column, count, export);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8));
        bar.getChildren().get(0).setAccessibleText("Filter");
        setTop(bar);

        table.setId("inspector-table");
        table.setAccessibleText("Signals in and out");
        table.setPlaceholder(new Label("No signals yet"));
        // The column chooser: show or hide any column from the table's header menu.
        table.setTableMenuButtonVisible(true);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.getColumns().addAll(
                column("Time", 100, r -> TIME.format(r.time().atZone(zone))),
                column("Direction", 70, r -> r.direction().name()),
                column("Type", 90, SignalRecord::type),
                sizeColumn(),
                column("From", 120, SignalRecord::from),
                column("To", 120, SignalRecord::to),
                column("Retry", 70, SignalInspectorViewModel::retryText),
                stateColumn(),
                column("Data", 160, SignalRecord::data));
        SortedList<SignalRecord> sorted = new SortedList<>(viewModel.shown());
        sorted.comparatorProperty().bind(table.comparatorProperty());
        table.setItems(sorted);
        setCenter(table);

        exportResult.setId("inspector-export-result");
        exportResult.setPadding(new Insets(4, 8, 6, 8));
        setBottom(exportResult);
    }

    /** The table, for tests and focus. */
    public TableView<SignalRecord> table() {
        return table;
    }

    private void export() {
        Window owner = getScene() == null ? null : getScene().getWindow();
        chooser.choose(owner).ifPresent(choice -> {
            try {
                int written = viewModel.export(choice.file(), choice.format());
                exportResult.setText("Exported " + written + " signals to " + choice.file());
            } catch (IOException e) {
                exportResult.setText("Could not export to " + choice.file() + ": " + e.getMessage());
            }
        });
    }

    private static TableColumn<SignalRecord, String> column(String title, double width, Function<SignalRecord, String> text) {
        TableColumn<SignalRecord, String> column = new TableColumn<>(title);
        column.setPrefWidth(width);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(text.apply(cell.getValue())));
        return column;
    }

    private static TableColumn<SignalRecord, Integer> sizeColumn() {
        TableColumn<SignalRecord, Integer> column = new TableColumn<>("Size");
        column.setPrefWidth(60);
        column.setCellValueFactory(cell -> new ReadOnlyObjectWrapper<>(cell.getValue().size()));
        return column;
    }

    /** The state as it changes, with the failure's code and words once failed. */
    private static TableColumn<SignalRecord, String> stateColumn() {
        TableColumn<SignalRecord, String> column = new TableColumn<>("State");
        column.setPrefWidth(220);
        column.setCellValueFactory(cell -> {
            SignalRecord r = cell.getValue();
            ObservableValue<String> text = Bindings.createStringBinding(
                    () -> r.failure().isEmpty() ? r.state().name() : r.state().name() + " (" + r.failure() + ")",
                    r.stateProperty(), r.failureProperty());
            return text;
        });
        return column;
    }

    /** The system's save dialog, the format following the file type chosen (or the file's ending). */
    public static ExportChooser fileChooser() {
        return owner -> {
            FileChooser dialog = new FileChooser();
            dialog.setTitle("Export signals");
            FileChooser.ExtensionFilter csv = new FileChooser.ExtensionFilter("CSV (*.csv)", "*.csv");
            FileChooser.ExtensionFilter jsonl = new FileChooser.ExtensionFilter("JSON Lines (*.jsonl)", "*.jsonl");
            dialog.getExtensionFilters().setAll(csv, jsonl);
            dialog.setInitialFileName("signals.csv");
            File file = dialog.showSaveDialog(owner);
            if (file == null) return Optional.empty();
            String name = file.getName().toLowerCase(java.util.Locale.ROOT);
            boolean lines = name.endsWith(".jsonl") || name.endsWith(".json")
                    || !name.endsWith(".csv") && dialog.getSelectedExtensionFilter() == jsonl;
            return Optional.of(new ExportChoice(file.toPath(), lines ? Format.JSON_LINES : Format.CSV));
        };
    }
}
