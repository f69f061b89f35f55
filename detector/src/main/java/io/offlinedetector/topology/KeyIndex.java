package io.offlinedetector.topology;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.DeviceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The devices of each group, and of each device type, by id: an entry per device and key in the
 * index store ({@link IndexKeys#keyed}), so that {@code GET /devices?group=} reads the group's
 * devices, never the fleet. Kept where {@link KeyCounts} is kept: as devices appear, change group or
 * type, and go.
 *
 * <p>A new device costs one write per key it names (its group's and its type's entries), a move to
 * another group two (delete and write); a transition or a heartbeat that changes neither key,
 * nothing: status is read from the device's state. Devices without a group (or type) are not
 * listed: there is no filter for them.
 */
final class KeyIndex {

    private static final CountKind[] KINDS = CountKind.values();
    private static final byte[] PRESENT = {1};

    private final KeyValueStore<Bytes, byte[]> store;

    KeyIndex(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** A device the partition did not hold before. */
    void add(String deviceId, DeviceState state) {
        change(deviceId, null, state);
    }

    /** A device the partition no longer holds. */
    void remove(String deviceId, DeviceState state) {
        change(deviceId, state, null);
    }

    /**
     * @param before the device's state before, or {@code null} for a device new here
     * @param after  its state now, or {@code null} for a device that goes
     */
    void change(String deviceId, DeviceState before, DeviceState after) {
        for (CountKind kind : KINDS) {
            String was = before == null ? null : kind.keyOf(before);
            String is = after == null ? null : kind.keyOf(after);
            if (Objects.equals(was, is)) {
                continue;
            }
            if (was != null) {
                store.delete(IndexKeys.keyed(kind, was, deviceId));
            }
            if (is != null) {
                store.put(IndexKeys.keyed(kind, is, deviceId), PRESENT);
            }
        }
    }

    /**
     * Whether the devices are listed by key: not in a store kept by a version before this index,
     * which this task has not {@link #rebuild rebuilt} yet.
     */
    boolean listed() {
        return store.get(IndexKeys.keysListed()) != null;
    }

    /** Lists every device of the partition afresh: one read of every state, once per store ({@link #listed}). */
    void rebuild(KeyValueStore<String, DeviceState> states) {
        List<Bytes> old = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(IndexKeys.keyedStart(), IndexKeys.keyedAllEnd())) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                if (!key.equals(IndexKeys.keyedAllEnd())) {
                    old.add(key);
                }
            }
        }
        old.forEach(store::delete);
        // Another store than the one read: written as it is read, so a large partition is never held in memory.
        try (KeyValueIterator<String, DeviceState> all = states.all()) {
            while (all.hasNext()) {
                KeyValue<String, DeviceState> device = all.next();
                add(device.key, device.value);
            }
        }
        store.put(IndexKeys.keysListed(), PRESENT);
    }
}
