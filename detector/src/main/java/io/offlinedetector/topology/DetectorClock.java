package io.offlinedetector.topology;

import io.offlinedetector.domain.DetectorTime;

/**
 * The detector's clock for one task.
 *
 * <p><b>Invariant:</b> the clock never passes a time up to which the partition's input is not known
 * to be read. A device is only judged offline at a deadline {@code d} once every heartbeat it could
 * have sent before {@code d} has been read, so a backlog waiting in the topic never turns into
 * false OFFLINE events. Two lower bounds for "read through" are used, whichever is later:
 *
 * <ul>
 *   <li>the broker's view ({@link InputProgress#readThrough}): every record appended before time
 *       {@code T} has been processed. When caught up, {@code T} trails the wall clock by one poll of
 *       the end offsets; an idle partition is caught up all the time, so its devices still go
 *       offline on time.
 *   <li>read time: the record time the task has read its partition to ({@link ReadTimeTracker},
 *       kept in the store). It carries the clock through a backlog after a restart, when the
 *       broker's view does not yet reach back that far.
 * </ul>
 *
 * With more than one partition a device's heartbeats may also arrive in other partitions and be
 * handed on ({@link Rerouting}); the clock then also never passes the time up to which those are
 * known to have reached this task ({@link InputProgress#reroutedThrough}).
 *
 * <p>The clock never runs ahead of the wall clock, so producer clocks set in the future cannot bring
 * decisions forward. While the whole input is stalled (see {@link InputProgress.Stall}), the clock
 * stops where the input stopped.
 */
final class DetectorClock {

    private DetectorClock() {}

    /** @param reroutedThrough {@link Long#MAX_VALUE} when nothing is re-routed */
    static DetectorTime at(long wall, long readThrough, long readTime, long reroutedThrough, InputProgress.Stall stall) {
        long clock = Math.min(Math.min(wall, reroutedThrough), Math.max(readThrough, readTime));
        if (stall.ongoing()) {
            return new DetectorTime(Math.min(clock, stall.since()), wall, DetectorTime.NONE, DetectorTime.NONE);
        }
        if (stall.declared()) {
            return new DetectorTime(clock, wall, stall.since(), stall.resumed());
        }
        return new DetectorTime(clock, wall, DetectorTime.NONE, DetectorTime.NONE);
    }
}
