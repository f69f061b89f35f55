package io.offlinedetector.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The configuration table of docs/operations.md is the reference users read, and {@link Setting} is
 * what the detector reads: this keeps them the same. The table is the one whose header is
 * {@code | flag | env | file key | default | meaning |}; it has one row per setting, in enum order,
 * with the setting's flag, environment variable, file key and default.
 *
 * <p>A setting without a fixed default ({@link Setting#defaultValue()} is {@code null}) is derived
 * from other things; its description ends in "(default …)" or "(default: …)", and the table's
 * default cell says the same words (as plain text or as one code span).
 */
class ConfigurationReferenceTest {

    /** The repository's docs, from the detector module where the tests run. */
    private static final Path OPERATIONS = Path.of("..", "docs", "operations.md");
    private static final List<String> HEADER = List.of("flag", "env", "file key", "default", "meaning");
    private static final Pattern DERIVED_DEFAULT = Pattern.compile("\\(default:? (.+)\\)$");

    /** The table's rows by flag (with its leading dashes), in the order of the document. */
    private static Map<String, List<String>> rows;

    @BeforeAll
    static void readTable() throws IOException {
        rows = configurationTable(Files.readAllLines(OPERATIONS, StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("every setting has a row in the configuration table of docs/operations.md")
    void listsEverySetting() {
        List<String> missing = Arrays.stream(Setting.values())
                .map(ConfigurationReferenceTest::flagOf)
                .filter(flag -> !rows.containsKey(flag))
                .toList();
        assertThat(missing).as("settings without a row in the configuration table of %s", OPERATIONS).isEmpty();
    }

    @Test
    @DisplayName("every row of the configuration table is a setting")
    void listsNothingElse() {
        List<String> settings = Arrays.stream(Setting.values()).map(ConfigurationReferenceTest::flagOf).toList();
        List<String> extra = rows.keySet().stream().filter(flag -> !settings.contains(flag)).toList();
        assertThat(extra).as("rows of the configuration table of %s that are no Setting", OPERATIONS).isEmpty();
    }

    @Test
    @DisplayName("the rows follow the order of the Setting enum")
    void followsTheEnumOrder() {
        List<String> settings = Arrays.stream(Setting.values())
                .map(ConfigurationReferenceTest::flagOf)
                .filter(rows::containsKey)
                .toList();
        List<String> documented = rows.keySet().stream().filter(settings::contains).toList();
        assertThat(documented).as("order of the configuration table of %s", OPERATIONS).containsExactlyElementsOf(settings);
    }

    @Test
    @DisplayName("each row has its setting's environment variable, file key and default")
    void rowsMatchTheirSettings() {
        for (Setting setting : Setting.values()) {
            List<String> row = rows.get(flagOf(setting));
            if (row == null) {
                continue; // reported by listsEverySetting
            }
            String flag = flagOf(setting);
            assertThat(code(row.get(1))).as("env of %s", flag).isEqualTo(setting.env());
            assertThat(code(row.get(1))).as("env of %s: OD_ and the flag upper-cased, '-' as '_'", flag)
                    .isEqualTo("OD_" + setting.flag().toUpperCase(Locale.ROOT).replace('-', '_'));
            assertThat(code(row.get(2))).as("file key of %s", flag).isEqualTo(setting.key());
            String defaultCell = setting.defaultValue() != null ? row.get(3) : code(row.get(3));
            assertThat(defaultCell).as("default of %s", flag).isEqualTo(expectedDefault(setting));
            assertThat(row.get(4)).as("meaning of %s", flag).isNotBlank();
        }
    }

    @Test
    @DisplayName("the table parser reads escaped pipes and code cells")
    void parsesMarkdownRows() {
        Map<String, List<String>> table = configurationTable(List.of(
                "text before",
                "| flag | env | file key | default | meaning |",
                "|---|---|---|---|---|",
                "| `--a` | `OD_A` | `a` | `1` | one \\| two |",
                "",
                "| flag | env | file key | meaning |",
                "| `--b` | | `b` | not part of it |"));
        assertThat(table).containsOnlyKeys("--a");
        assertThat(table.get("--a")).containsExactly("`--a`", "`OD_A`", "`a`", "`1`", "one | two");
    }

    /** The rows of the one table with {@link #HEADER}, by the flag in their first cell. */
    static Map<String, List<String>> configurationTable(List<String> lines) {
        int header = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (isRow(lines.get(i)) && cells(lines.get(i)).equals(HEADER)) {
                assertThat(header).as("more than one configuration table (lines %d and %d)", header + 1, i + 1).isEqualTo(-1);
                header = i;
            }
        }
        assertThat(header).as("a table with the header %s", HEADER).isNotEqualTo(-1);
        Map<String, List<String>> table = new LinkedHashMap<>();
        for (int i = header + 2; i < lines.size() && isRow(lines.get(i)); i++) {
            List<String> row = cells(lines.get(i));
            assertThat(row).as("cells of line %d: %s", i + 1, lines.get(i)).hasSize(HEADER.size());
            String flag = code(row.get(0));
            assertThat(table).as("a second row for %s (line %d)", flag, i + 1).doesNotContainKey(flag);
            table.put(flag, row);
        }
        return table;
    }

    private static boolean isRow(String line) {
        return line.startsWith("|");
    }

    /** The trimmed cells of a Markdown table row; {@code \|} is a pipe inside a cell. */
    private static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") && !inner.endsWith("\\|") ? inner.length() - 1 : inner.length());
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '\\' && i + 1 < inner.length() && inner.charAt(i + 1) == '|') {
                cell.append('|');
                i++;
            } else if (c == '|') {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().strip());
        return cells;
    }

    /** A cell that is one code span, without its backticks. */
    private static String code(String cell) {
        return cell.length() >= 2 && cell.startsWith("`") && cell.endsWith("`") ? cell.substring(1, cell.length() - 1) : cell;
    }

    private static String flagOf(Setting setting) {
        return "--" + setting.flag();
    }

    /** A fixed default as a code span; a derived one in the words its description gives. */
    private static String expectedDefault(Setting setting) {
        if (setting.defaultValue() != null) {
            return "`" + setting.defaultValue() + "`";
        }
        Matcher derived = DERIVED_DEFAULT.matcher(setting.description());
        assertThat(derived.find())
                .as("%s has no fixed default, so its description should end in '(default …)'", setting)
                .isTrue();
        return derived.group(1);
    }
}
