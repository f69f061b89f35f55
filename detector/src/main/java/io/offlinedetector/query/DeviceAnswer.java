package io.offlinedetector.query;

/**
 * Where one device's answer stands: found (by this or another instance), not known to the fleet,
 * not answerable right now (rebalancing, restoring), or not answerable because a peer failed.
 */
public sealed interface DeviceAnswer {

    /** @param servedBy the HTTP address of the instance that read the store */
    record Found(DeviceView device, String servedBy) implements DeviceAnswer {}

    record NotFound(String deviceId) implements DeviceAnswer {}

    /** @param retryAfterSeconds a hint for the client's {@code Retry-After} */
    record Unavailable(String reason, int retryAfterSeconds) implements DeviceAnswer {}

    /** @param instance the URL of the instance that was asked and did not answer usefully */
    record PeerFailed(String instance, String reason) implements DeviceAnswer {}
}
