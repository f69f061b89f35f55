package io.offlinedetector.query;

/**
 * Where one device's answer stands: found (by this or another instance), not known to the fleet,
 * or not answerable right now (rebalancing, restoring).
 */
public sealed interface DeviceAnswer {

    /** @param servedBy the HTTP address of the instance that read the store */
    record Found(DeviceView device, String servedBy) implements DeviceAnswer {}

    record NotFound(String deviceId) implements DeviceAnswer {}

    /** @param retryAfterSeconds a hint for the client's {@code Retry-After} */
    record Unavailable(String reason, int retryAfterSeconds) implements DeviceAnswer {}
}
