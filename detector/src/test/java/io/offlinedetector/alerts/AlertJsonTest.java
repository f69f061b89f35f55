package io.offlinedetector.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SINCE = Instant.parse("2026-11-21T20:10:00Z").toEpochMilli();
    private static final long LAST_SEEN = Instant.parse("2026-11-21T20:00:00Z").toEpochMilli();

    private static JsonNode write(DeviceAlert alert, long firingUntil) throws IOException {
        return JSON.readTree(AlertJson.write(List.of(alert), firingUntil, "http://127.0.0.1:8080")).get(0);
    }

    @Test
    void aFiringAlertHasItsLabelsAnnotationsAndEndsWhenNotSentAgain() throws IOException {
        long until = SINCE + 240_000;
        JsonNode alert = write(new DeviceAlert("sensor 42", "thermostat", "site-7", false, LAST_SEEN, SINCE, DeviceAlert.FIRING), until);

        assertThat(alert.path("labels").toString())
                .isEqualTo("{\"alertname\":\"DeviceOffline\",\"device\":\"sensor 42\",\"device_type\":\"thermostat\",\"group\":\"site-7\",\"flapping\":\"false\"}");
        assertThat(alert.path("annotations").path("lastSeen").asText()).isEqualTo("2026-11-21T20:00:00Z");
        assertThat(alert.path("annotations").path("offlineSince").asText()).isEqualTo("2026-11-21T20:10:00Z");
        assertThat(alert.path("startsAt").asText()).isEqualTo("2026-11-21T20:10:00Z");
        assertThat(alert.path("endsAt").asText()).isEqualTo("2026-11-21T20:14:00Z");
        assertThat(alert.path("generatorURL").asText()).isEqualTo("http://127.0.0.1:8080/devices/sensor%2042");
    }

    @Test
    void aResolvedAlertEndsWhenTheDeviceCameBackAndKeepsItsLabels() throws IOException {
        long back = SINCE + 5_000;
        JsonNode alert = write(new DeviceAlert("pump-1", null, null, true, LAST_SEEN, SINCE, back), SINCE + 240_000);

        assertThat(alert.path("labels").toString()).isEqualTo("{\"alertname\":\"DeviceOffline\",\"device\":\"pump-1\",\"flapping\":\"true\"}");
        assertThat(alert.path("startsAt").asText()).isEqualTo("2026-11-21T20:10:00Z");
        assertThat(alert.path("endsAt").asText()).isEqualTo("2026-11-21T20:10:05Z");
    }

    @Test
    void aFiringAlertAlwaysEndsAfterItStarts() throws IOException {
        // a device stamped ahead of this instance's clock: Alertmanager refuses endsAt before startsAt
        JsonNode alert = write(new DeviceAlert("ahead", null, null, false, LAST_SEEN, SINCE, DeviceAlert.FIRING), SINCE - 1_000);
        assertThat(Instant.parse(alert.path("endsAt").asText())).isAfter(Instant.parse(alert.path("startsAt").asText()));
    }
}
