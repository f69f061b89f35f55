package io.offlinedetector.topology;

import io.offlinedetector.domain.Status;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Devices by status, and a running count per status, kept up to date on each transition (not on
 * each heartbeat), so that lists filter by status without reading every device and counts need no
 * scan at all.
 */
final class StatusIndex {

    private static final byte[] PRESENT = {1};

    private final KeyValueStore<Bytes, byte[]> store;

    StatusIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    void move(String deviceId, Status from, Status to) {
        if (from != Status.UNKNOWN) {
            store.delete(IndexKeys.byStatus(from, deviceId));
            add(from, -1);
        }
        store.put(IndexKeys.byStatus(to, deviceId), PRESENT);
        add(to, 1);
    }

    void remove(String deviceId, Status status) {
        store.delete(IndexKeys.byStatus(status, deviceId));
        add(status, -1);
    }

    private void add(Status status, long delta) {
        Bytes key = IndexKeys.count(status);
        store.put(key, IndexKeys.encodeCount(IndexKeys.decodeCount(store.get(key)) + delta));
    }
}
