package io.offlinedetector.alerts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * A batch of alerts in the body Alertmanager's v2 API takes ({@code POST /api/v2/alerts}): labels
 * {@code alertname}, {@code device}, {@code device_type}, {@code group}, {@code flapping};
 * annotations {@code summary}, {@code lastSeen}, {@code offlineSince}; {@code startsAt} when the
 * device went OFFLINE, and {@code endsAt}.
 *
 * <p>A firing alert ends by itself at {@code firingUntil} unless sent again before, as Prometheus
 * does: an alert whose device is removed while its instance is down, or whose resolve is lost,
 * does not fire for ever. A label without a value (no type, no group) is left out, which
 * Alertmanager, like Prometheus, reads as the empty value.
 */
final class AlertJson {

    static final String ALERT_NAME = "DeviceOffline";
    private static final JsonFactory JSON = new JsonFactory();

    private AlertJson() {}

    /**
     * @param firingUntil the {@code endsAt} of firing alerts
     * @param instanceUrl the sending instance, for each alert's {@code generatorURL}: the device's
     *                    {@code GET /devices/{id}}
     */
    static byte[] write(List<DeviceAlert> alerts, long firingUntil, String instanceUrl) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(alerts.size() * 400);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartArray();
            for (DeviceAlert alert : alerts) {
                json.writeStartObject();
                json.writeObjectFieldStart("labels");
                json.writeStringField("alertname", ALERT_NAME);
                json.writeStringField("device", alert.deviceId());
                optional(json, "device_type", alert.deviceType());
                optional(json, "group", alert.group());
                json.writeStringField("flapping", Boolean.toString(alert.flapping()));
                json.writeEndObject();
                json.writeObjectFieldStart("annotations");
                json.writeStringField("summary", "Device " + alert.deviceId() + " is offline");
                json.writeStringField("lastSeen", iso(alert.lastSeen()));
                json.writeStringField("offlineSince", iso(alert.offlineSince()));
                json.writeEndObject();
                json.writeStringField("startsAt", iso(alert.offlineSince()));
                json.writeStringField("endsAt", iso(alert.isFiring() ? Math.max(firingUntil, alert.offlineSince() + 1) : alert.resolvedAt()));
                json.writeStringField("generatorURL", instanceUrl + "/devices/" + URLEncoder.encode(alert.deviceId(), StandardCharsets.UTF_8)
                        .replace("+", "%20"));
                json.writeEndObject();
            }
            json.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void optional(JsonGenerator json, String label, String value) throws IOException {
        if (value != null && !value.isEmpty()) {
            json.writeStringField(label, value);
        }
    }

    private static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
