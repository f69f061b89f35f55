package io.offlinedetector.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.offlinedetector.testing.Alertmanager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Alertmanager example (deploy/alertmanager/alertmanager.yml) in a real Alertmanager
 * on loopback: what {@code amtool} cannot check offline. While GroupOffline fires for a group, the
 * DeviceOffline alerts of that group are inhibited and those of other groups, or of no group, are
 * not; and a maintenance window is the silence docs/alerting.md shows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertmanagerExampleIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();
    private Alertmanager alertmanager;

    @BeforeAll
    void startAlertmanager(@TempDir Path storage) throws Exception {
        alertmanager = Alertmanager.start(storage, ShippedFiles.ALERTMANAGER_CONFIG);
    }

    @AfterAll
    void stopAlertmanager() throws InterruptedException {
        if (alertmanager != null) {
            alertmanager.close();
        }
    }

    @Test
    @DisplayName("GroupOffline inhibits its group's DeviceOffline alerts, not those of other groups or of devices without a group")
    void groupOfflineInhibitsOnlyItsGroup() throws Exception {
        post(List.of(
                alert(Map.of("alertname", "GroupOffline", "group", "site-7", "severity", "critical")),
                deviceOffline("inhibit-1", "site-7"),
                deviceOffline("inhibit-2", "site-7"),
                deviceOffline("inhibit-3", "site-8"),
                deviceOffline("inhibit-4", null)));

        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, JsonNode> devices = deviceAlerts();
            assertThat(inhibited(devices.get("inhibit-1"))).isTrue();
            assertThat(inhibited(devices.get("inhibit-2"))).isTrue();
            assertThat(devices.get("inhibit-3").path("status").path("state").asText()).isEqualTo("active");
            assertThat(devices.get("inhibit-4").path("status").path("state").asText()).isEqualTo("active");
        });
    }

    @Test
    @DisplayName("a maintenance window: amtool silence add group=... silences the group's alerts")
    void aSilenceByGroupIsAMaintenanceWindow() throws Exception {
        post(List.of(deviceOffline("window-1", "site-9"), deviceOffline("window-2", "site-10")));

        assertThat(alertmanager.silence("group=site-9", Duration.ofHours(2))).as("amtool prints the silence's id").isNotBlank();

        await().atMost(WAIT).untilAsserted(() -> {
            Map<String, JsonNode> devices = deviceAlerts();
            assertThat(devices.get("window-1").path("status").path("silencedBy")).isNotEmpty();
            assertThat(devices.get("window-2").path("status").path("state").asText()).isEqualTo("active");
        });
    }

    private static boolean inhibited(JsonNode alert) {
        return alert.path("status").path("state").asText().equals("suppressed") && !alert.path("status").path("inhibitedBy").isEmpty();
    }

    /** A DeviceOffline alert with the labels the detector gives it; {@code group} null for a device without one. */
    private static Map<String, Object> deviceOffline(String device, String group) {
        Map<String, String> labels = new HashMap<>(Map.of("alertname", "DeviceOffline", "device", device, "device_type", "meter",
                "flapping", "false"));
        if (group != null) {
            labels.put("group", group);
        }
        return alert(labels);
    }

    private static Map<String, Object> alert(Map<String, String> labels) {
        return Map.of("labels", labels);
    }

    /** The DeviceOffline alerts Alertmanager holds, by device. */
    private Map<String, JsonNode> deviceAlerts() throws Exception {
        Map<String, JsonNode> byDevice = new HashMap<>();
        for (JsonNode alert : alertmanager.alerts()) {
            if (alert.path("labels").path("alertname").asText().equals("DeviceOffline")) {
                byDevice.put(alert.path("labels").path("device").asText(), alert);
            }
        }
        return byDevice;
    }

    private void post(List<Map<String, Object>> alerts) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(alertmanager.url() + "/api/v2/alerts"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(alerts)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
}
