package io.offlinedetector.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The monitoring files the repository ships under {@code deploy/} (see docs/alerting.md), read as
 * the tests need them: the Prometheus rules, the Grafana dashboard's queries, and where each file is.
 */
final class ShippedFiles {

    /** The repository's root, from the detector module, where the tests run. */
    static final Path ROOT = Path.of("..");
    static final Path PROMETHEUS_CONFIG = ROOT.resolve("deploy/prometheus/prometheus.yml");
    static final Path RULES = ROOT.resolve("deploy/prometheus/rules/offline-detector.rules.yml");
    static final Path RULE_TESTS = ROOT.resolve("deploy/prometheus/tests");
    static final Path ALERTMANAGER_CONFIG = ROOT.resolve("deploy/alertmanager/alertmanager.yml");
    static final Path DASHBOARD = ROOT.resolve("deploy/grafana/offline-detector.json");

    /** Series Prometheus makes itself for every target, which no {@code /metrics} answer has. */
    static final Set<String> PROMETHEUS_SERIES = Set.of("up");

    /**
     * What Grafana puts in place of its variables, so that a query can be checked as PromQL: the
     * built-in intervals, and a regex that matches anything for the dashboard's own variables
     * (they are used as {@code job=~"$job"}).
     */
    private static final Map<String, String> BUILT_IN_VARIABLES = Map.of("__rate_interval", "5m", "__interval", "1m", "__range", "1h");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Za-z_]\\w*)}?");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\((.*),\\s*\\w+\\s*\\)");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /**
     * One rule of the rules file.
     *
     * @param name  the alert's or the recorded series' name
     * @param alert an alerting rule, else a recording rule
     */
    record Rule(String group, String name, boolean alert, String expr, String forDuration, Map<String, String> labels,
            Map<String, String> annotations) {}

    /**
     * One PromQL query of the dashboard.
     *
     * @param where the panel's title, or the variable's name
     * @param expr  as the dashboard has it, with Grafana's variables
     */
    record Query(String where, String expr) {}

    private ShippedFiles() {}

    static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        for (JsonNode group : read(YAML, RULES).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                boolean alert = rule.has("alert");
                rules.add(new Rule(group.path("name").asText(), rule.path(alert ? "alert" : "record").asText(), alert,
                        rule.path("expr").asText(), rule.path("for").asText(null), strings(rule.path("labels")),
                        strings(rule.path("annotations"))));
            }
        }
        return rules;
    }

    /** The files of {@code promtool test rules}, parsed. */
    static Map<Path, JsonNode> ruleTests() {
        Map<Path, JsonNode> tests = new LinkedHashMap<>();
        for (Path file : ruleTestFiles()) {
            tests.put(file, read(YAML, file));
        }
        return tests;
    }

    static List<Path> ruleTestFiles() {
        try (Stream<Path> files = Files.list(RULE_TESTS)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode dashboard() {
        return read(JSON, DASHBOARD);
    }

    /** The panels that show data (rows only arrange them), nested ones of collapsed rows included. */
    static List<JsonNode> panels() {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : dashboard().path("panels")) {
            if (panel.path("type").asText().equals("row")) {
                panel.path("panels").forEach(panels::add);
            } else {
                panels.add(panel);
            }
        }
        return panels;
    }

    /** Every PromQL query: each panel's targets, and the metric selector of each {@code label_values(...)} variable. */
    static List<Query> dashboardQueries() {
        List<Query> queries = new ArrayList<>();
        for (JsonNode panel : panels()) {
            for (JsonNode target : panel.path("targets")) {
                queries.add(new Query(panel.path("title").asText(), target.path("expr").asText()));
            }
        }
        for (JsonNode variable : dashboard().path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                Matcher labelValues = LABEL_VALUES.matcher(query.isObject() ? query.path("query").asText() : query.asText());
                if (labelValues.matches()) {
                    queries.add(new Query("variable " + variable.path("name").asText(), labelValues.group(1)));
                }
            }
        }
        return queries;
    }

    /** The dashboard's own variables, by name. */
    static Set<String> dashboardVariables() {
        Set<String> names = new LinkedHashSet<>();
        dashboard().path("templating").path("list").forEach(variable -> names.add(variable.path("name").asText()));
        return names;
    }

    /**
     * {@code expr} as PromQL, with Grafana's variables replaced.
     *
     * @throws IllegalArgumentException for a variable that is neither built in nor the dashboard's
     */
    static String asPromQl(String expr) {
        Set<String> own = dashboardVariables();
        Matcher variable = VARIABLE.matcher(expr);
        StringBuilder promQl = new StringBuilder();
        while (variable.find()) {
            String name = variable.group(1);
            String value = BUILT_IN_VARIABLES.get(name);
            if (value == null && own.contains(name)) {
                value = ".+";
            }
            if (value == null) {
                throw new IllegalArgumentException("'" + expr + "' uses $" + name + ", which the dashboard does not define");
            }
            variable.appendReplacement(promQl, Matcher.quoteReplacement(value));
        }
        variable.appendTail(promQl);
        return promQl.toString();
    }

    /** The metric names the rules read, without the series they record themselves and those Prometheus makes. */
    static Set<String> metricsTheRulesRead() {
        List<Rule> rules = rules();
        Set<String> recorded = new LinkedHashSet<>();
        rules.stream().filter(rule -> !rule.alert()).forEach(rule -> recorded.add(rule.name()));
        Set<String> names = new LinkedHashSet<>();
        rules.forEach(rule -> names.addAll(PromQl.metricNames(rule.expr())));
        names.removeAll(recorded);
        names.removeAll(PROMETHEUS_SERIES);
        return names;
    }

    /** The metric names the dashboard reads, without those Prometheus makes. */
    static Set<String> metricsTheDashboardReads() {
        Set<String> names = new LinkedHashSet<>();
        dashboardQueries().forEach(query -> names.addAll(PromQl.metricNames(asPromQl(query.expr()))));
        names.removeAll(PROMETHEUS_SERIES);
        return names;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> strings = new LinkedHashMap<>();
        object.fields().forEachRemaining(field -> strings.put(field.getKey(), field.getValue().asText()));
        return strings;
    }

    private static JsonNode read(ObjectMapper mapper, Path file) {
        try {
            return mapper.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
