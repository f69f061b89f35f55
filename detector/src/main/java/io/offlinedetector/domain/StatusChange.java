package io.offlinedetector.domain;

/**
 * One transition, as published on {@code device-status} (docs/design.md, 'Status events'). Times
 * are epoch millis.
 *
 * @param changedAt  ONLINE: the heartbeat's time; OFFLINE: {@code lastSeen + timeout}
 * @param detectedAt when the detector decided, on its clock
 * @param group      the device's group, or {@code null} when it never named one
 * @param flapping   whether the device was flapping with this change ({@link FlappingPolicy})
 */
public record StatusChange(
        String deviceId,
        Status status,
        Status previousStatus,
        long changedAt,
        long detectedAt,
        long lastSeen,
        long timeoutMs,
        String deviceType,
        String group,
        Reason reason,
        long sequence,
        boolean flapping) {

    /** The same change, flagged as flapping or not: the rules decide a change, the device's history whether it flaps. */
    public StatusChange withFlapping(boolean flappingNow) {
        return flappingNow == flapping ? this
                : new StatusChange(deviceId, status, previousStatus, changedAt, detectedAt, lastSeen, timeoutMs, deviceType, group, reason, sequence, flappingNow);
    }
}
