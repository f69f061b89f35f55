package io.offlinedetector.deploy;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression reads, found without a PromQL parser (Java has none): what
 * is left once strings, label matchers, ranges and label lists are taken out, and function names,
 * keywords and numbers are skipped. Enough for the expressions the project ships, which
 * {@code PromQlTest} covers; a name given only as {@code {__name__="..."}} is not found.
 */
final class PromQl {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    /** Label matchers; with the strings out, braces do not nest. */
    private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
    /** Range and subquery durations, such as {@code [5m]} or {@code [$__rate_interval]}. */
    private static final Pattern RANGES = Pattern.compile("\\[[^]]*]");
    private static final Pattern LABEL_LISTS = Pattern.compile("\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    /** A name not glued to a number or another name: {@code 5m} and {@code 1e3} are no names. */
    private static final Pattern NAME = Pattern.compile("(?<![\\w.:$])[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "bool",
            "and", "or", "unless", "offset", "inf", "nan", "atan2");

    private PromQl() {}

    static Set<String> metricNames(String expr) {
        String rest = STRINGS.matcher(expr).replaceAll(" ");
        rest = MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGES.matcher(rest).replaceAll(" ");
        rest = LABEL_LISTS.matcher(rest).replaceAll(" ");
        Set<String> names = new LinkedHashSet<>();
        Matcher name = NAME.matcher(rest);
        while (name.find()) {
            String found = name.group();
            if (!KEYWORDS.contains(found.toLowerCase(java.util.Locale.ROOT)) && !calledAt(rest, name.end())) {
                names.add(found);
            }
        }
        return names;
    }

    /** A name followed by an opening parenthesis is a function or an aggregation, not a metric. */
    private static boolean calledAt(String text, int end) {
        int i = end;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i < text.length() && text.charAt(i) == '(';
    }
}
