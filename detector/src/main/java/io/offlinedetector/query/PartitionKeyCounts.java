package io.offlinedetector.query;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Status;
import io.offlinedetector.topology.DeviceStateSerde;
import io.offlinedetector.topology.IndexKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * One partition's counts by group (or device type), as much of them as a {@link KeySelection}
 * asks: read from the entry the state store keeps per key, so that a page reads about a page of
 * entries, however many devices and groups the partition has.
 */
final class PartitionKeyCounts {

    /**
     * The OFFLINE list is read for the keys with OFFLINE devices while they are at most this share
     * of the partition's devices: each costs a step of the list and a read of its state, against one
     * step per key of the counts' range, which has no more keys than the partition has devices.
     */
    private static final int OFFLINE_LIST_SHARE = 4;

    private final ReadOnlyKeyValueStore<Bytes, byte[]> states;
    private final CountKind kind;

    /** @param states the partition's state store, with the counts and lists derived from its states */
    PartitionKeyCounts(ReadOnlyKeyValueStore<Bytes, byte[]> states, CountKind kind) {
        this.states = states;
        this.kind = kind;
    }

    /**
     * The counts {@code which} asks for, in key order; a key range holds one key more than its limit
     * when more follow, for the instance to cut.
     */
    List<GroupCount> read(KeySelection which) {
        if (which instanceof KeySelection.After range) {
            Bytes from = range.after() == null ? IndexKeys.keyCountsStart(kind) : justAfter(IndexKeys.keyCount(kind, range.after().key()));
            return range(from, (int) Math.min(Integer.MAX_VALUE, range.limit() + 1L), false);
        }
        if (which instanceof KeySelection.OfflineDevices) {
            return offlineDevices();
        }
        if (which instanceof KeySelection.Keys keys) {
            List<GroupCount> counts = new ArrayList<>();
            for (String key : keys.keys()) {
                byte[] value = states.get(IndexKeys.keyCount(kind, key));
                if (value != null) {
                    counts.add(GroupCount.of(key, IndexKeys.decodeOnline(value), IndexKeys.decodeOffline(value)));
                }
            }
            return counts;
        }
        return range(IndexKeys.keyCountsStart(kind), Integer.MAX_VALUE, false);
    }

    /** The OFFLINE devices of each key that has some: from the OFFLINE list while it is short, else from the counts. */
    private List<GroupCount> offlineDevices() {
        long offline = IndexKeys.decodeLong(states.get(IndexKeys.count(Status.OFFLINE)));
        long online = IndexKeys.decodeLong(states.get(IndexKeys.count(Status.ONLINE)));
        if (offline == 0) {
            return List.of();
        }
        if (offline * OFFLINE_LIST_SHARE > online + offline) {
            return range(IndexKeys.keyCountsStart(kind), Integer.MAX_VALUE, true);
        }
        GroupCounts.Sum sum = new GroupCounts.Sum();
        Bytes end = IndexKeys.byStatusEnd(Status.OFFLINE);
        try (KeyValueIterator<Bytes, byte[]> it = states.range(IndexKeys.byStatusAfter(Status.OFFLINE, null), end)) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                if (key.equals(end)) {
                    continue;
                }
                DeviceState state = DeviceStateSerde.read(states.get(IndexKeys.state(IndexKeys.byStatusDeviceId(key))));
                if (state != null && state.status() == Status.OFFLINE) {
                    sum.add(kind.keyOf(state), 0, 1);
                }
            }
        }
        return sum.counts(List.of()).groups();
    }

    /** Up to {@code max} counts from {@code from} on; with {@code offlineOnly}, only the OFFLINE devices of the keys that have some. */
    private List<GroupCount> range(Bytes from, int max, boolean offlineOnly) {
        List<GroupCount> counts = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = states.range(from, IndexKeys.keyCountsEnd(kind))) {
            while (it.hasNext() && counts.size() < max) {
                KeyValue<Bytes, byte[]> entry = it.next();
                if (!IndexKeys.isKeyCount(kind, entry.key)) {
                    continue;
                }
                long offline = IndexKeys.decodeOffline(entry.value);
                if (!offlineOnly) {
                    counts.add(GroupCount.of(IndexKeys.keyCountKey(entry.key), IndexKeys.decodeOnline(entry.value), offline));
                } else if (offline > 0) {
                    counts.add(GroupCount.of(IndexKeys.keyCountKey(entry.key), 0, offline));
                }
            }
        }
        return counts;
    }

    /** The smallest key after {@code key}: appending 0x00 gives it. */
    private static Bytes justAfter(Bytes key) {
        byte[] bytes = key.get();
        return Bytes.wrap(Arrays.copyOf(bytes, bytes.length + 1));
    }
}
