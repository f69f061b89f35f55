package io.offlinedetector.domain;

/**
 * The times a decision is made with.
 *
 * <p>The detector's clock ({@code clock}) is what deadlines are judged against. It never runs ahead
 * of what the input has provably been read to (docs/design.md, 'The detector's clock'): when the
 * input is caught up it is the wall clock; while a backlog is read it is the time the backlog has
 * been read to. {@code wall} is the wall clock, recorded as {@code detectedAt}.
 *
 * <p>After an ingestion stall, the whole input stopped during {@code [stallFrom, stallUntil)}, most
 * likely in the pipeline rather than in every device at once. A device whose deadline fell inside
 * the stall is judged only once it has had a full timeout after the input resumed to be heard from:
 * if it is, nothing happened; if it is not, it went OFFLINE at its real deadline.
 *
 * @param stallFrom  start of the last ingestion stall, or -1 when there was none
 * @param stallUntil when the input resumed; ignored without {@code stallFrom}
 */
public record DetectorTime(long clock, long wall, long stallFrom, long stallUntil) {

    public static final long NONE = -1L;

    /** Caught up and no stall: the detector's clock is the wall clock. */
    public static DetectorTime caughtUp(long now) {
        return new DetectorTime(now, now, NONE, NONE);
    }

    /** The earliest detector-clock time at which a device with this deadline may be found offline. */
    public long judgeableAt(long deadline, long timeoutMs) {
        if (stallFrom != NONE && deadline >= stallFrom && deadline < stallUntil) {
            return stallUntil + timeoutMs;
        }
        return deadline;
    }
}
