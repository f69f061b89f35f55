package io.offlinedetector.query;

import io.offlinedetector.domain.CountKind;
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
            return range(from, (int) Math.min(Integer.MAX_VALUE, range.limit() + 1L));
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
        return range(IndexKeys.keyCountsStart(kind), Integer.MAX_VALUE);
    }

    /** The OFFLINE devices of each key that has some: the counts kept apart for those keys. */
    private List<GroupCount> offlineDevices() {
        List<GroupCount> counts = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = states.range(IndexKeys.withOfflineStart(kind), IndexKeys.withOfflineEnd(kind))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                counts.add(GroupCount.of(IndexKeys.keyCountKey(entry.key), 0, IndexKeys.decodeOffline(entry.value)));
            }
        }
        return counts;
    }

    /** Up to {@code max} counts from {@code from} on. */
    private List<GroupCount> range(Bytes from, int max) {
        List<GroupCount> counts = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = states.range(from, IndexKeys.keyCountsEnd(kind))) {
            while (it.hasNext() && counts.size() < max) {
                KeyValue<Bytes, byte[]> entry = it.next();
                if (!IndexKeys.isKeyCount(kind, entry.key)) {
                    continue;
                }
                counts.add(GroupCount.of(IndexKeys.keyCountKey(entry.key), IndexKeys.decodeOnline(entry.value), IndexKeys.decodeOffline(entry.value)));
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
