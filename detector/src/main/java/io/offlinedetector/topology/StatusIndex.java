package io.offlinedetector.topology;

import io.offlinedetector.domain.Status;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * OFFLINE devices by id, and a running count per status, kept up to date on each transition (not on
 * each heartbeat), so that the OFFLINE list needs no scan of the fleet and counts need no scan at
 * all.
 *
 * <p>ONLINE devices are counted but not listed here: most of a fleet is online, so their list is
 * read from the device states in id order, and an entry per device would cost every new device
 * another store write and changelog record (the bench's catch-up writes one per new device).
 */
final class StatusIndex {

    private static final byte[] PRESENT = {1};

    private final KeyValueStore<Bytes, byte[]> store;

    StatusIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    void move(String deviceId, Status from, Status to) {
        if (from != Status.UNKNOWN) {
            unlist(deviceId, from);
            add(from, -1);
        }
        if (isListed(to)) {
            store.put(IndexKeys.byStatus(to, deviceId), PRESENT);
        }
        add(to, 1);
    }

    void remove(String deviceId, Status status) {
        unlist(deviceId, status);
        add(status, -1);
    }

    /** Whether devices of this status are listed by id here, or only counted. */
    static boolean isListed(Status status) {
        return status == Status.OFFLINE;
    }

    private void unlist(String deviceId, Status status) {
        if (isListed(status)) {
            store.delete(IndexKeys.byStatus(status, deviceId));
        }
    }

    private void add(Status status, long delta) {
        Bytes key = IndexKeys.count(status);
        store.put(key, IndexKeys.encodeLong(IndexKeys.decodeLong(store.get(key)) + delta));
    }
}
