package io.offlinedetector.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.offlinedetector.deploy.ShippedFiles.Query;
import io.offlinedetector.deploy.ShippedFiles.Rule;
import io.offlinedetector.testing.Tool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The monitoring files under {@code deploy/} (docs/alerting.md), checked with the tools operators
 * check them with: {@code promtool} for the Prometheus configuration, the rules and the rules' unit
 * tests, and for the Grafana dashboard's queries; {@code amtool} for the Alertmanager example and
 * its routing. That the metrics they read exist is {@code ShippedDashboardIT}'s part, on a running
 * detector; that the inhibition and a silence work is {@code AlertmanagerExampleIT}'s.
 */
class ShippedConfigTest {

    private static final Set<String> SEVERITIES = Set.of("critical", "warning");

    @Test
    void prometheusConfigIsValidAndLoadsTheRules() throws Exception {
        Tool.Result check = Tool.PROMTOOL.run("check", "config", ShippedFiles.PROMETHEUS_CONFIG.toString());

        assertThat(check.exitCode()).as(check.report()).isZero();
        assertThat(check.output()).as(check.report()).contains("1 rule files found", "offline-detector.rules.yml");
    }

    @Test
    void rulesAreValid() throws Exception {
        Tool.Result check = Tool.PROMTOOL.run("check", "rules", ShippedFiles.RULES.toString());

        assertThat(check.exitCode()).as(check.report()).isZero();
    }

    @Test
    void rulesPassTheirUnitTests() throws Exception {
        List<String> arguments = new ArrayList<>(List.of("test", "rules"));
        ShippedFiles.ruleTestFiles().forEach(file -> arguments.add(file.toString()));
        assertThat(arguments).as("rule test files in %s", ShippedFiles.RULE_TESTS).hasSizeGreaterThan(2);

        Tool.Result test = Tool.PROMTOOL.run(arguments.toArray(String[]::new));

        assertThat(test.exitCode()).as(test.report()).isZero();
    }

    @Test
    @DisplayName("every alert has a unit test in which it fires and one in which it stays quiet")
    void everyAlertIsTestedFiringAndQuiet() {
        Set<String> fires = new HashSet<>();
        Set<String> quiet = new HashSet<>();
        for (JsonNode file : ShippedFiles.ruleTests().values()) {
            for (JsonNode test : file.path("tests")) {
                for (JsonNode expectation : test.path("alert_rule_test")) {
                    String alert = expectation.path("alertname").asText();
                    (expectation.path("exp_alerts").isEmpty() ? quiet : fires).add(alert);
                }
            }
        }

        for (Rule rule : ShippedFiles.rules()) {
            if (rule.alert()) {
                assertThat(fires).as("alerts tested firing").contains(rule.name());
                assertThat(quiet).as("alerts tested quiet").contains(rule.name());
            }
        }
    }

    @Test
    @DisplayName("every alert has a severity, a summary, a description, and waits before it fires")
    void everyAlertSaysHowBadAndWhat() {
        List<Rule> alerts = ShippedFiles.rules().stream().filter(Rule::alert).toList();
        assertThat(alerts).extracting(Rule::name).contains("GroupOffline", "OfflineDetectorClockLagging",
                "OfflineDetectorIngestionStalled", "OfflineDetectorDeadLetters", "OfflineDetectorPartialAnswers",
                "OfflineDetectorAlertmanagerSendFailures");

        for (Rule alert : alerts) {
            assertThat(alert.labels().get("severity")).as("severity of %s", alert.name()).isIn(SEVERITIES);
            assertThat(alert.annotations().get("summary")).as("summary of %s", alert.name()).isNotBlank();
            assertThat(alert.annotations().get("description")).as("description of %s", alert.name()).isNotBlank();
            assertThat(alert.forDuration()).as("for of %s", alert.name()).isNotBlank();
        }
    }

    @Test
    void alertmanagerConfigIsValid() throws Exception {
        Tool.Result check = Tool.AMTOOL.run("check-config", ShippedFiles.ALERTMANAGER_CONFIG.toString());

        assertThat(check.exitCode()).as(check.report()).isZero();
    }

    @ParameterizedTest(name = "{1} -> {0}")
    @CsvSource(delimiter = '|', value = {
        "flapping-digest | alertname=DeviceOffline device=sensor-42 device_type=meter group=site-7 flapping=true",
        "on-call         | alertname=DeviceOffline device=sensor-42 device_type=meter group=site-7 flapping=false",
        "on-call         | alertname=DeviceOffline device=sensor-43 device_type=meter flapping=false",
        "on-call         | alertname=GroupOffline group=site-7 severity=critical",
        "on-call         | alertname=OfflineDetectorIngestionStalled job=offline-detector severity=critical",
    })
    @DisplayName("amtool routes the alert to the receiver")
    void routesAlerts(String receiver, String labels) throws Exception {
        List<String> arguments = new ArrayList<>(List.of("config", "routes", "test",
                "--config.file=" + ShippedFiles.ALERTMANAGER_CONFIG, "--verify.receivers=" + receiver));
        arguments.addAll(List.of(labels.split(" ")));

        Tool.Result route = Tool.AMTOOL.run(arguments.toArray(String[]::new));

        assertThat(route.exitCode()).as(route.report()).isZero();
    }

    @Test
    @DisplayName("GroupOffline inhibits the DeviceOffline alerts of the same group")
    void groupOfflineInhibitsTheDeviceOfflineAlertsOfItsGroup() throws IOException {
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(ShippedFiles.ALERTMANAGER_CONFIG.toFile());

        assertThat(config.path("route").path("group_by")).extracting(JsonNode::asText).contains("alertname", "group");
        assertThat(config.path("inhibit_rules")).anySatisfy(rule -> {
            assertThat(rule.path("source_matchers")).extracting(JsonNode::asText).containsExactly("alertname=\"GroupOffline\"");
            assertThat(rule.path("target_matchers")).extracting(JsonNode::asText).containsExactly("alertname=\"DeviceOffline\"");
            assertThat(rule.path("equal")).extracting(JsonNode::asText).containsExactly("group");
        });
    }

    @Test
    @DisplayName("the dashboard asks for its Prometheus data source, and every panel queries through it")
    void dashboardQueriesThroughItsDataSourceVariable() {
        JsonNode dashboard = ShippedFiles.dashboard();
        assertThat(dashboard.path("templating").path("list")).anySatisfy(variable -> {
            assertThat(variable.path("name").asText()).isEqualTo("datasource");
            assertThat(variable.path("type").asText()).isEqualTo("datasource");
            assertThat(variable.path("query").asText()).isEqualTo("prometheus");
        });

        List<JsonNode> panels = ShippedFiles.panels();
        assertThat(panels).hasSizeGreaterThan(10);
        for (JsonNode panel : panels) {
            String title = panel.path("title").asText();
            assertThat(title).isNotBlank();
            assertThat(panel.path("description").asText()).as("description of %s", title).isNotBlank();
            assertThat(panel.path("datasource").path("uid").asText()).as("data source of %s", title).isEqualTo("${datasource}");
            assertThat(panel.path("targets")).as("queries of %s", title).isNotEmpty().allSatisfy(target -> {
                assertThat(target.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
                assertThat(target.path("expr").asText()).isNotBlank();
            });
        }
    }

    @Test
    @DisplayName("every query of the dashboard is PromQL that Prometheus parses, once Grafana's variables are in")
    void dashboardQueriesParse(@TempDir Path dir) throws Exception {
        // promtool parses PromQL only in rule files: each query becomes a recording rule.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<Query> queries = ShippedFiles.dashboardQueries();
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < queries.size(); i++) {
            rules.append("      - record: dashboard_query_").append(i).append('\n')
                    .append("        expr: ").append(json.writeValueAsString(ShippedFiles.asPromQl(queries.get(i).expr()))).append('\n');
        }
        Path file = dir.resolve("dashboard.rules.yml");
        Files.writeString(file, rules, StandardCharsets.UTF_8);

        Tool.Result check = Tool.PROMTOOL.run("check", "rules", file.toString());

        assertThat(check.exitCode()).as("%s%n%s", check.report(), rules).isZero();
        assertThat(check.output()).contains("SUCCESS: " + queries.size() + " rules found");
    }

    @Test
    @DisplayName("the dashboard shows the fleet and the detector's health, and every metric an alert reads")
    void dashboardShowsWhatOperatorsWatch() {
        Set<String> shown = ShippedFiles.metricsTheDashboardReads();

        assertThat(shown).contains(
                "offline_detector_devices",
                "offline_detector_group_devices",
                "kafka_offline_detector_transitions_total",
                "kafka_offline_detector_clock_lag_seconds",
                "kafka_offline_detector_dead_lettered_records_total",
                "offline_detector_http_requests_seconds_bucket",
                "offline_detector_partial_answers_total",
                "offline_detector_ingestion_stalled",
                "offline_detector_alertmanager_alerts_sent_total",
                "offline_detector_alertmanager_send_failures_total");
        assertThat(shown).containsAll(ShippedFiles.metricsTheRulesRead());
    }

    @Test
    @DisplayName("the rules read the detector's metrics, not the series they record themselves")
    void rulesReadTheDetectorsMetrics() {
        assertThat(ShippedFiles.metricsTheRulesRead())
                .contains("offline_detector_group_devices", "offline_detector_ingestion_stalled")
                .doesNotContain("up", "group:offline_detector_group_devices:sum")
                .allSatisfy(name -> assertThat(name).matches("(kafka_)?offline_detector_\\w+"));
    }
}
