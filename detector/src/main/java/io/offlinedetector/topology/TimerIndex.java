package io.offlinedetector.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Devices filed by deadline, so that a check reads only the devices that are due: its cost grows
 * with the due devices, not with the fleet. The state store files each device under its state's
 * timer itself ({@link StateIndexes}); this reads the filings.
 *
 * <p>Reads start at a floor below which no device is filed, kept in the index store. Without it
 * every check would start at deadline 0 and step over the deletes of every filing handled since
 * RocksDB last compacted that range (and, within one check, over every filing its earlier batches
 * handled), so a check's cost would grow with the churn instead.
 */
final class TimerIndex {

    /** A device filed under a deadline. */
    record Filing(String deviceId, long deadline) {}

    private final KeyValueStore<Bytes, byte[]> states;
    private final KeyValueStore<Bytes, byte[]> index;
    /** No device is filed under a deadline before this. */
    private long floor;

    /**
     * @param states where the devices are filed
     * @param index  where the floor is kept
     */
    TimerIndex(KeyValueStore<Bytes, byte[]> states, KeyValueStore<Bytes, byte[]> index) {
        this.states = states;
        this.index = index;
        this.floor = IndexKeys.decodeLong(index.get(IndexKeys.timerFloor()), 0);
    }

    /** A device's state now has a timer at {@code deadline}, so it is filed there: the floor must not be above it. */
    void filed(long deadline) {
        if (deadline < floor) {
            moveFloor(deadline);
        }
    }

    /**
     * Up to {@code max} filings with a deadline at or before {@code now}, earliest first. The
     * caller handles them all (moves each device's timer on, or removes it) before it asks again;
     * a device filed under an earlier deadline meanwhile lowers the floor again. The iterator is
     * closed before the caller changes the store.
     */
    List<Filing> due(long now, int max) {
        List<Filing> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = states.range(IndexKeys.timerBound(floor), IndexKeys.timerBound(now + 1))) {
            while (it.hasNext() && due.size() < max) {
                Bytes key = it.next().key;
                due.add(new Filing(IndexKeys.timerDeviceId(key), IndexKeys.timerDeadline(key)));
            }
        }
        // All filings before the last one's deadline are in this batch; a short batch holds all up to now.
        long handledBefore = due.size() < max ? now + 1 : due.get(due.size() - 1).deadline();
        if (handledBefore > floor) {
            moveFloor(handledBefore);
        }
        return due;
    }

    private void moveFloor(long to) {
        floor = to;
        index.put(IndexKeys.timerFloor(), IndexKeys.encodeLong(to));
    }
}
