package io.signalbox.app.qa;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The signal inspector: every signal in and out with its time, direction, type, size, sender,
 * receiver, retry setting and state, filtered by any column, and exported as CSV or JSON Lines.
 */
public final class SignalInspectorViewModel {
    /** What the filter text is matched against. */
    public enum Column {
        ANY("Any column", r -> String.join(" ", r.direction().name(), r.type(), r.from(), r.to(), r.state().name(),
                retryText(r), r.failure(), Integer.toString(r.size()), r.data())),
        DATA("Data", SignalRecord::data),
        DIRECTION("Direction", r -> r.direction().name()),
        TYPE("Type", SignalRecord::type),
        FROM("From", SignalRecord::from),
        TO("To", SignalRecord::to),
        STATE("State", r -> r.state().name()),
        RETRY("Retry", SignalInspectorViewModel::retryText),
        SIZE("Size", r -> Integer.toString(r.size()));

        private final String label;
        private final Function<SignalRecord, String> text;

        Column(String label, Function<SignalRecord, String> text) {
            this.label = label;
            this.text = text;
        }

        public String label() {
            return label;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** The two export formats. */
    public enum Format { CSV, JSON_LINES }

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final ObservableList<SignalRecord> all;
    private final FilteredList<SignalRecord> shown;
    private final StringProperty filter = new SimpleStringProperty("");
    private final ObjectProperty<Column> column = new SimpleObjectProperty<>(Column.ANY);

    public SignalInspectorViewModel(ObservableList<SignalRecord> records) {
        this.all = records;
        this.shown = new FilteredList<>(records);
        filter.addListener((o, was, now) -> refilter());
        column.addListener((o, was, now) -> refilter());
    }

    /** The records the filter lets through, live. */
    public ObservableList<SignalRecord> shown() {
        return shown;
    }

    /** Every record, live. */
    public ObservableList<SignalRecord> all() {
        return all;
    }

    /** The filter text: a record is shown when the chosen column contains it, ignoring case. */
    public StringProperty filterProperty() {
        return filter;
    }

    public ObjectProperty<Column> columnProperty() {
        return column;
    }

    private void refilter() {
        String wanted = filter.get() == null ? "" : filter.get().strip().toLowerCase(Locale.ROOT);
        Column c = column.get() == null ? Column.ANY : column.get();
        Predicate<SignalRecord> test = wanted.isEmpty() ? r -> true
                : r -> String.valueOf(c.text.apply(r)).toLowerCase(Locale.ROOT).contains(wanted);
        shown.setPredicate(test);
    }

    /** Writes the records now shown to {@code file}; returns how many were written. */
    public int export(Path file, Format format) throws IOException {
        List<SignalRecord> rows = List.copyOf(shown);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            if (format == Format.CSV) {
                out.write("id,time,direction,type,size,from,to,retry,state,failure,data\n");
                for (SignalRecord r : rows) {
                    out.write(String.join(",", Long.toString(r.id()), r.time().toString(), r.direction().name(),
                            csv(r.type()), Integer.toString(r.size()), csv(r.from()), csv(r.to()), retryText(r),
                            r.state().name(), csv(r.failure()), csv(r.data())));
                    out.write('\n');
                }
            } else {
                for (SignalRecord r : rows) {
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("id", r.id());
                    line.put("time", r.time().toString());
                    line.put("direction", r.direction().name());
                    line.put("type", r.type());
                    line.put("size", r.size());
                    line.put("from", r.from());
                    line.put("to", r.to());
                    line.put("retry", r.retry());
                    line.put("state", r.state().name());
                    line.put("failure", r.failure());
                    line.put("data", r.data());
                    out.write(JSON.writeValueAsString(line));
                    out.write('\n');
                }
            }
        }
        return rows.size();
    }

    static String retryText(SignalRecord r) {
        return r.retry() == null ? "" : r.retry() ? "retry" : "no retry";
    }

    /** A CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
    static String csv(String field) {
        if (field == null) return "";
        if (field.indexOf(',') < 0 && field.indexOf('"') < 0 && field.indexOf('\n') < 0 && field.indexOf('\r') < 0) {
            return field;
        }
        return '"' + field.replace("\"", "\"\"") + '"';
    }
}
