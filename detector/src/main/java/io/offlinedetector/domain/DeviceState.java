package io.offlinedetector.domain;

/**
 * Everything the detector remembers about one device. Times are epoch millis.
 *
 * @param status     ONLINE or OFFLINE
 * @param lastSeen   the newest heartbeat time seen; never moves back
 * @param since      when the current status began ({@code changedAt} of the last transition)
 * @param timeoutMs  the timeout chosen by the latest heartbeat
 * @param deviceType the type named by the latest heartbeat that named one, or {@code null}
 * @param group      the group named by the latest heartbeat that named one, or {@code null}
 * @param sequence   number of transitions so far; the last event carried this value
 * @param timerAt    the time under which the device is filed in the timer index, or
 *                   {@link #NO_TIMER}. It may lag behind {@link #deadline()}: the index is re-armed
 *                   lazily when the timer fires, so a heartbeat costs one state write only. It is
 *                   later than the deadline only while a decision is held (see {@link DetectorTime}).
 * @param requestedTimeoutMs the {@code timeoutMs} the device last asked for, or {@link #NO_REQUEST};
 *                   it applies until the device asks for another (docs/design.md, 'Transitions')
 */
public record DeviceState(
        Status status,
        long lastSeen,
        long since,
        long timeoutMs,
        String deviceType,
        String group,
        long sequence,
        long timerAt,
        long requestedTimeoutMs) {

    public static final long NO_TIMER = -1L;
    public static final long NO_REQUEST = 0L;

    /** The moment the device goes offline unless another heartbeat arrives. */
    public long deadline() {
        return lastSeen + timeoutMs;
    }

    /** The device's own timeout request, or {@code null} when it made none. */
    public Long requestedTimeout() {
        return requestedTimeoutMs == NO_REQUEST ? null : requestedTimeoutMs;
    }

    public boolean hasTimer() {
        return timerAt != NO_TIMER;
    }

    public DeviceState withTimerAt(long newTimerAt) {
        return new DeviceState(status, lastSeen, since, timeoutMs, deviceType, group, sequence, newTimerAt, requestedTimeoutMs);
    }
}
