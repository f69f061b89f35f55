package io.offlinedetector.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The bench's results: one row per figure, printed as a table and written as Markdown and JSON. */
public final class Report {

    /**
     * One measured figure.
     *
     * @param target the target it is held against (docs/performance.md, 'Targets'), or empty
     * @param met whether the target is met; {@code null} when there is no target
     */
    public record Row(String phase, String metric, double value, String unit, String target, Boolean met) {}

    private final List<Row> rows = new ArrayList<>();
    private final Map<String, String> context = new LinkedHashMap<>();

    /** What the run was: machine, sizes, broker; printed above the table. */
    public void context(String key, String value) {
        context.put(key, value);
    }

    public void add(String phase, String metric, double value, String unit) {
        rows.add(new Row(phase, metric, value, unit, "", null));
    }

    public void add(String phase, String metric, double value, String unit, String target, boolean met) {
        rows.add(new Row(phase, metric, value, unit, target, met));
    }

    /** The rows in phase order (a, b, …), each phase's rows in the order they were measured. */
    /**
     * A figure whose target is stated for a fleet of {@code targetDevices}: judged only when the run
     * had at least that many devices, as a smaller run says nothing about it.
     */
    public void addScaled(String phase, String metric, double value, String unit, String target, boolean met,
            long devices, long targetDevices) {
        if (devices >= targetDevices) {
            add(phase, metric, value, unit, target, met);
        } else {
            rows.add(new Row(phase, metric, value, unit, target + " (not judged at " + String.format(Locale.ROOT, "%,d", devices)
                    + " devices)", null));
        }
    }

    public List<Row> rows() {
        return rows.stream().sorted(java.util.Comparator.comparing(Row::phase)).toList();
    }

    /** A Markdown table, which also reads well on a terminal. */
    public String markdown() {
        StringBuilder out = new StringBuilder();
        context.forEach((key, value) -> out.append("- ").append(key).append(": ").append(value).append('\n'));
        out.append('\n');
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"phase", "metric", "value", "unit", "target (docs/performance.md)", "met"});
        for (Row row : rows()) {
            cells.add(new String[] {row.phase(), row.metric(), format(row.value()), row.unit(), row.target(),
                    row.met() == null ? "" : row.met() ? "yes" : "NO"});
        }
        int[] widths = new int[cells.get(0).length];
        for (String[] line : cells) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (int r = 0; r < cells.size(); r++) {
            appendLine(out, cells.get(r), widths);
            if (r == 0) {
                String[] rule = new String[widths.length];
                for (int i = 0; i < widths.length; i++) {
                    rule[i] = "-".repeat(widths[i]);
                }
                appendLine(out, rule, widths);
            }
        }
        return out.toString();
    }

    public String json() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("context", context);
        document.put("rows", rows());
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code report.md} and {@code report.json} into the directory. */
    public void write(Path directory) {
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("report.md"), "# Offline Detector benchmark\n\n" + markdown(), StandardCharsets.UTF_8);
            Files.writeString(directory.resolve("report.json"), json() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void appendLine(StringBuilder out, String[] line, int[] widths) {
        out.append('|');
        for (int i = 0; i < line.length; i++) {
            out.append(' ').append(line[i]).append(" ".repeat(widths[i] - line[i].length())).append(" |");
        }
        out.append('\n');
    }

    /** Whole numbers without decimals; small ones with enough to be read. */
    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return Math.abs(value) >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.3f", value);
    }
}
