package io.offlinedetector.query;

/**
 * Where one device's history stands, as for {@link DeviceAnswer}: found (by this or another
 * instance), not known to the fleet, not answerable right now, or not answerable because a peer failed.
 */
public sealed interface HistoryAnswer {

    /** @param servedBy the HTTP address of the instance that read the stores */
    record Found(HistoryView history, String servedBy) implements HistoryAnswer {}

    record NotFound(String deviceId) implements HistoryAnswer {}

    /** @param retryAfterSeconds a hint for the client's {@code Retry-After} */
    record Unavailable(String reason, int retryAfterSeconds) implements HistoryAnswer {}

    /** @param instance the URL of the instance that was asked and did not answer usefully */
    record PeerFailed(String instance, String reason) implements HistoryAnswer {}
}
