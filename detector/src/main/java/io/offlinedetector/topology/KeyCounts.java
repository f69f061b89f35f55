package io.offlinedetector.topology;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * How many devices of each group, and of each device type, are online and offline: one entry per
 * key in the index store, kept up to date as devices appear, change status, group or type, and go,
 * so that counting by group reads as many entries as there are groups, never the devices.
 *
 * <p>A change costs one read-modify-write per key it touches: a new device two (its group's and its
 * type's), a transition two, a move to another group two more; a heartbeat that changes none of
 * them, nothing. A key whose last device goes is deleted. The store's record cache takes the
 * writes of a busy key, so a key's changelog record is written about once per commit.
 */
final class KeyCounts {

    private static final CountKind[] KINDS = CountKind.values();

    private final KeyValueStore<Bytes, byte[]> store;

    KeyCounts(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    /** A device the partition did not hold before. */
    void add(DeviceState state) {
        change(null, state);
    }

    /** A device the partition no longer holds. */
    void remove(DeviceState state) {
        change(state, null);
    }

    /**
     * @param before the device's state before, or {@code null} for a device new here
     * @param after  its state now, or {@code null} for a device that goes
     */
    void change(DeviceState before, DeviceState after) {
        for (CountKind kind : KINDS) {
            if (before != null && after != null && Objects.equals(kind.keyOf(before), kind.keyOf(after))) {
                if (before.status() != after.status()) {
                    add(kind, kind.keyOf(after), delta(Status.ONLINE, before, after), delta(Status.OFFLINE, before, after));
                }
                continue;
            }
            if (before != null) {
                add(kind, kind.keyOf(before), before.status() == Status.ONLINE ? -1 : 0, before.status() == Status.OFFLINE ? -1 : 0);
            }
            if (after != null) {
                add(kind, kind.keyOf(after), after.status() == Status.ONLINE ? 1 : 0, after.status() == Status.OFFLINE ? 1 : 0);
            }
        }
    }

    /**
     * Whether the counts of every kind add up to the per-status counts. They do, unless the store was
     * kept by a version that did not count by key: the first start after an upgrade, or a rolling
     * upgrade during which an instance of the version before processed the partition.
     */
    boolean addUp() {
        long online = IndexKeys.decodeLong(store.get(IndexKeys.count(Status.ONLINE)));
        long offline = IndexKeys.decodeLong(store.get(IndexKeys.count(Status.OFFLINE)));
        for (CountKind kind : KINDS) {
            long[] sum = new long[2];
            try (KeyValueIterator<Bytes, byte[]> it = store.range(IndexKeys.keyCountsStart(kind), IndexKeys.keyCountsEnd(kind))) {
                while (it.hasNext()) {
                    KeyValue<Bytes, byte[]> entry = it.next();
                    if (IndexKeys.isKeyCount(kind, entry.key)) {
                        sum[0] += IndexKeys.decodeOnline(entry.value);
                        sum[1] += IndexKeys.decodeOffline(entry.value);
                    }
                }
            }
            if (sum[0] != online || sum[1] != offline) {
                return false;
            }
        }
        return true;
    }

    /** Counts every device of the partition afresh: one read of every state, only when the counts do not {@link #addUp}. */
    void recount(KeyValueStore<String, DeviceState> states) {
        List<Bytes> old = new ArrayList<>();
        for (CountKind kind : KINDS) {
            try (KeyValueIterator<Bytes, byte[]> it = store.range(IndexKeys.keyCountsStart(kind), IndexKeys.keyCountsEnd(kind))) {
                while (it.hasNext()) {
                    Bytes key = it.next().key;
                    if (IndexKeys.isKeyCount(kind, key)) {
                        old.add(key);
                    }
                }
            }
        }
        Map<Bytes, long[]> counts = new HashMap<>();
        try (KeyValueIterator<String, DeviceState> all = states.all()) {
            while (all.hasNext()) {
                DeviceState state = all.next().value;
                for (CountKind kind : KINDS) {
                    long[] count = counts.computeIfAbsent(IndexKeys.keyCount(kind, kind.keyOf(state)), key -> new long[2]);
                    count[state.status() == Status.ONLINE ? 0 : 1]++;
                }
            }
        }
        old.forEach(store::delete);
        counts.forEach((key, count) -> store.put(key, IndexKeys.encodeCounts(count[0], count[1])));
    }

    private void add(CountKind kind, String key, long online, long offline) {
        Bytes at = IndexKeys.keyCount(kind, key);
        byte[] counts = store.get(at);
        long newOnline = IndexKeys.decodeOnline(counts) + online;
        long newOffline = IndexKeys.decodeOffline(counts) + offline;
        if (newOnline == 0 && newOffline == 0) {
            store.delete(at);
        } else {
            store.put(at, IndexKeys.encodeCounts(newOnline, newOffline));
        }
    }

    private static long delta(Status counted, DeviceState before, DeviceState after) {
        return (after.status() == counted ? 1 : 0) - (before.status() == counted ? 1 : 0);
    }
}
