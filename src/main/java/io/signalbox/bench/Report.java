package io.signalbox.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run measured, in the order a reader wants it, as a table for people or JSON for scripts.
 *
 * @param workload the workload's name
 * @param clean    whether the run met its own checks (nothing lost, doubled or misrouted; all connected)
 * @param figures  the figures, options first
 */
public record Report(String workload, boolean clean, List<Figure> figures) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public Report {
        figures = List.copyOf(figures);
    }

    /** The value of a figure, by its JSON key; for tests and scripts. */
    public Object get(String key) {
        for (Figure f : figures) {
            if (f.key().equals(key)) return f.value();
        }
        throw new IllegalArgumentException("no figure '" + key + "' in the " + workload + " report");
    }

    public long getLong(String key) {
        return ((Number) get(key)).longValue();
    }

    public String table() {
        int width = "figure".length();
        for (Figure f : figures) width = Math.max(width, f.label().length());
        StringBuilder sb = new StringBuilder();
        sb.append("bench ").append(workload).append(clean ? "" : "  (NOT CLEAN: see lost / failed figures)").append('\n');
        sb.append(String.format("%-" + width + "s  %s%n", "figure", "value"));
        sb.append("-".repeat(width)).append("  ").append("-".repeat(16)).append('\n');
        for (Figure f : figures) sb.append(String.format("%-" + width + "s  %s%n", f.label(), f.text()));
        return sb.toString();
    }

    public String json() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("workload", workload);
        map.put("clean", clean);
        for (Figure f : figures) map.put(f.key(), f.value() instanceof Double d && d.isNaN() ? null : f.value());
        try {
            return JSON.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CPU figures every workload reports, for the phase it measured. */
    static void addCpu(List<Figure> figures, CpuUsage cpu, long units, String unitName) {
        figures.add(new Figure("server_cpu_pct", "server CPU % (100 = 1 core)", cpu.serverPercent()));
        figures.add(new Figure("generator_cpu_pct", "generator CPU %", cpu.generatorPercent()));
        figures.add(new Figure("other_cpu_pct", "other CPU % (machine noise)", cpu.otherPercent()));
        if (units >= 0) {
            figures.add(new Figure("server_us_per_" + unitName, "server CPU µs per " + unitName, cpu.serverMicrosPer(units)));
        }
    }
}
