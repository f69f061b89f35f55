package io.offlinedetector.query;

import io.offlinedetector.domain.DeviceState;

/**
 * A device as the HTTP API shows it (docs/http-api.md, 'GET /devices/{id}'). Times are ISO-8601 UTC
 * strings.
 */
public record DeviceView(
        String deviceId, String status, String lastSeen, String since, long timeoutMs, String deviceType, long sequence) {

    public static DeviceView of(String deviceId, DeviceState state) {
        return new DeviceView(
                deviceId,
                state.status().name(),
                java.time.Instant.ofEpochMilli(state.lastSeen()).toString(),
                java.time.Instant.ofEpochMilli(state.since()).toString(),
                state.timeoutMs(),
                state.deviceType(),
                state.sequence());
    }
}
