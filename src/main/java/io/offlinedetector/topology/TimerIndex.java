package io.offlinedetector.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Devices filed by deadline, so that a check reads only the devices that are due: its cost grows
 * with the due devices, not with the fleet.
 */
final class TimerIndex {

    /** A device filed under a deadline. */
    record Filing(String deviceId, long deadline) {}

    private static final byte[] PRESENT = {1};

    private final KeyValueStore<Bytes, byte[]> store;

    TimerIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    void file(String deviceId, long deadline) {
        store.put(IndexKeys.timer(deadline, deviceId), PRESENT);
    }

    void unfile(String deviceId, long deadline) {
        store.delete(IndexKeys.timer(deadline, deviceId));
    }

    /**
     * Up to {@code max} filings with a deadline at or before {@code now}, earliest first. The
     * iterator is closed before the caller changes the index.
     */
    List<Filing> due(long now, int max) {
        List<Filing> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(IndexKeys.timerBound(0), IndexKeys.timerBound(now + 1))) {
            while (it.hasNext() && due.size() < max) {
                Bytes key = it.next().key;
                due.add(new Filing(IndexKeys.timerDeviceId(key), IndexKeys.timerDeadline(key)));
            }
        }
        return due;
    }
}
