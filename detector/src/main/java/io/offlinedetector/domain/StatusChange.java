package io.offlinedetector.domain;

/**
 * One transition, as published on {@code device-status} (docs/design.md, 'Status events'). Times
 * are epoch millis.
 *
 * @param changedAt  ONLINE: the heartbeat's time; OFFLINE: {@code lastSeen + timeout}
 * @param detectedAt when the detector decided, on its clock
 * @param group      the device's group, or {@code null} when it never named one
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
        long sequence) {}
