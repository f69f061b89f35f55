package io.offlinedetector.query;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.offlinedetector.domain.DeviceState;

/**
 * A device as the HTTP API shows it (docs/http-api.md, 'GET /devices/{id}'). Times are ISO-8601 UTC
 * strings. The components are in the order of the answer's fields.
 *
 * @param group    the group named by the latest heartbeat that named one, or {@code null}
 * @param flapping whether the device keeps going offline and back, now ({@link io.offlinedetector.domain.FlappingPolicy})
 */
// Instances read each other's answers: one of a later version may add fields during a rolling upgrade.
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeviceView(
        String deviceId,
        String status,
        String lastSeen,
        String since,
        long timeoutMs,
        String deviceType,
        String group,
        boolean flapping,
        long sequence) {

    public static DeviceView of(String deviceId, DeviceState state, boolean flapping) {
        return new DeviceView(
                deviceId,
                state.status().name(),
                java.time.Instant.ofEpochMilli(state.lastSeen()).toString(),
                java.time.Instant.ofEpochMilli(state.since()).toString(),
                state.timeoutMs(),
                state.deviceType(),
                state.group(),
                flapping,
                state.sequence());
    }
}
