package io.offlinedetector.domain;

/**
 * The transition rules of docs/design.md, 'Transitions', as pure functions: no clock, no Kafka. The
 * caller passes the time in ({@link DetectorTime}: the detector's clock for decisions, the wall
 * clock for {@code detectedAt}).
 *
 * <p>Timer bookkeeping is part of the rules so that it can be tested here: every ONLINE device is
 * filed in the timer index under {@link DeviceState#timerAt()}, which is never later than the time
 * it may first be judged offline. A heartbeat that pushes the deadline further out leaves the
 * filing alone (the timer re-arms itself when it fires); only a heartbeat that brings the deadline
 * earlier re-files.
 */
public final class TransitionRules {

    /** {@code offlineRetentionMs} value that keeps offline devices forever. */
    public static final long KEEP_FOREVER = 0;

    private final TimeoutPolicy timeouts;
    private final long clockSkewMaxMs;
    private final long offlineRetentionMs;

    public TransitionRules(TimeoutPolicy timeouts, long clockSkewMaxMs) {
        this(timeouts, clockSkewMaxMs, KEEP_FOREVER);
    }

    /**
     * @param offlineRetentionMs how long a device may stay OFFLINE before it is removed, or
     *     {@link #KEEP_FOREVER}; an OFFLINE device is then filed in the timer index for its removal
     */
    public TransitionRules(TimeoutPolicy timeouts, long clockSkewMaxMs, long offlineRetentionMs) {
        this.timeouts = timeouts;
        this.clockSkewMaxMs = clockSkewMaxMs;
        this.offlineRetentionMs = offlineRetentionMs;
    }

    /** {@link #onHeartbeat(DeviceState, Heartbeat, DetectorTime)} when caught up, with no stall. */
    public Outcome onHeartbeat(DeviceState current, Heartbeat heartbeat, long now) {
        return onHeartbeat(current, heartbeat, DetectorTime.caughtUp(now));
    }

    /**
     * Applies a heartbeat.
     *
     * @param current the device's state, or {@code null} for a device never seen
     */
    public Outcome onHeartbeat(DeviceState current, Heartbeat heartbeat, DetectorTime at) {
        long now = at.clock();
        // Skew is judged against the wall clock: while a backlog is read, the detector's clock is
        // behind, and heartbeats stamped up to now are genuine.
        long time = effectiveTime(heartbeat.time(), at.wall());

        if (current == null) {
            long timeoutMs = timeouts.resolve(heartbeat);
            DeviceState next = new DeviceState(Status.ONLINE, time, time, timeoutMs, heartbeat.deviceType(), heartbeat.group(), 1,
                    time + timeoutMs, requestOf(heartbeat.timeoutMs()));
            return new Outcome(next, change(heartbeat.deviceId(), next, Status.UNKNOWN, Reason.FIRST_HEARTBEAT, at.wall()));
        }
        if (time < current.lastSeen()) {
            // Out of order: an older heartbeat carries no news, and lastSeen never moves back.
            return new Outcome(current, null);
        }
        // A choice a device made (its type, its group, its own timeout) holds until it makes another.
        String deviceType = heartbeat.deviceType() != null ? heartbeat.deviceType() : current.deviceType();
        String group = heartbeat.group() != null ? heartbeat.group() : current.group();
        Long requested = heartbeat.timeoutMs() != null ? heartbeat.timeoutMs() : current.requestedTimeout();
        long timeoutMs = timeouts.resolve(requested, deviceType);
        long deadline = time + timeoutMs;

        if (current.status() == Status.ONLINE) {
            long timerAt = current.hasTimer() && current.timerAt() <= deadline ? current.timerAt() : deadline;
            DeviceState next = new DeviceState(Status.ONLINE, time, current.since(), timeoutMs, deviceType, group,
                    current.sequence(), timerAt, requestOf(requested));
            return new Outcome(next, null);
        }
        if (deadline > now) {
            DeviceState next = new DeviceState(Status.ONLINE, time, time, timeoutMs, deviceType, group,
                    current.sequence() + 1, deadline, requestOf(requested));
            return new Outcome(next, change(heartbeat.deviceId(), next, Status.OFFLINE, Reason.HEARTBEAT_RESUMED, at.wall()));
        }
        // A late heartbeat from before the device was found offline: it was silent then, and still is.
        DeviceState next = new DeviceState(Status.OFFLINE, time, current.since(), timeoutMs, deviceType, group,
                current.sequence(), current.timerAt(), requestOf(requested));
        return new Outcome(next, null);
    }

    /** {@link #onTimer(String, DeviceState, long, DetectorTime)} when caught up, with no stall. */
    public Outcome onTimer(String deviceId, DeviceState current, long filedAt, long now) {
        return onTimer(deviceId, current, filedAt, DetectorTime.caughtUp(now));
    }

    /**
     * Applies a timer that fired: the device was filed in the timer index under {@code filedAt}, and
     * {@code filedAt <= at.clock()}.
     *
     * @return the outcome; its state has no timer when the entry was stale or the device went
     *     offline, and a later {@code timerAt} when the device may not be judged yet (heard from
     *     since it was filed, or its deadline fell in an ingestion stall)
     */
    public Outcome onTimer(String deviceId, DeviceState current, long filedAt, DetectorTime at) {
        if (current == null || current.timerAt() != filedAt) {
            return new Outcome(current, null); // a stale filing: the device was re-filed or removed
        }
        if (current.status() == Status.OFFLINE) {
            return onRetentionTimer(current, at);
        }
        long deadline = current.deadline();
        long judgeableAt = at.judgeableAt(deadline, current.timeoutMs());
        if (judgeableAt > at.clock()) {
            return new Outcome(current.withTimerAt(judgeableAt), null);
        }
        DeviceState next = new DeviceState(
                Status.OFFLINE,
                current.lastSeen(),
                deadline,
                current.timeoutMs(),
                current.deviceType(),
                current.group(),
                current.sequence() + 1,
                offlineRetentionMs == KEEP_FOREVER ? DeviceState.NO_TIMER : deadline + offlineRetentionMs,
                current.requestedTimeoutMs());
        return new Outcome(next, change(deviceId, next, Status.ONLINE, Reason.TIMEOUT, at.wall()));
    }

    /** An OFFLINE device's timer is its removal, {@code offline.retention} after it went offline. */
    private Outcome onRetentionTimer(DeviceState current, DetectorTime at) {
        if (offlineRetentionMs == KEEP_FOREVER) {
            return new Outcome(current.withTimerAt(DeviceState.NO_TIMER), null);
        }
        long removeAt = current.since() + offlineRetentionMs;
        return removeAt <= at.clock() ? Outcome.removed() : new Outcome(current.withTimerAt(removeAt), null);
    }

    private static long requestOf(Long requestedTimeoutMs) {
        return requestedTimeoutMs == null ? DeviceState.NO_REQUEST : requestedTimeoutMs;
    }

    /** A timestamp too far ahead of the wall clock (a skewed device clock) counts as now. */
    private long effectiveTime(long recordTime, long wallNow) {
        return recordTime > wallNow + clockSkewMaxMs ? wallNow : recordTime;
    }

    private static StatusChange change(String deviceId, DeviceState next, Status previous, Reason reason, long detectedAt) {
        return new StatusChange(
                deviceId,
                next.status(),
                previous,
                next.since(),
                detectedAt,
                next.lastSeen(),
                next.timeoutMs(),
                next.deviceType(),
                next.group(),
                reason,
                next.sequence(),
                false); // whether it flaps depends on the device's history, which the rules do not see
    }
}
