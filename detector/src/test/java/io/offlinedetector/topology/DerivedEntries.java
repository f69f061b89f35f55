package io.offlinedetector.topology;

import io.offlinedetector.domain.DeviceState;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The entries a state store derived from its states, and those its states imply, for tests to compare. */
final class DerivedEntries {

    private static final Bytes PRESENT = Bytes.wrap(new byte[] {1});

    private DerivedEntries() {}

    /** Every entry the store derived, as it reads them (the counts from memory). */
    static Map<Bytes, Bytes> in(ReadOnlyKeyValueStore<Bytes, byte[]> store) {
        Map<Bytes, Bytes> derived = new TreeMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.range(IndexKeys.derivedStart(), IndexKeys.derivedEnd())) {
            it.forEachRemaining(entry -> derived.put(entry.key, Bytes.wrap(entry.value)));
        }
        return derived;
    }

    /** The entries the store's states imply, derived afresh: whatever happened, the store must hold exactly these. */
    static Map<Bytes, Bytes> impliedBy(ReadOnlyKeyValueStore<Bytes, byte[]> store) {
        Map<Bytes, Bytes> derived = new TreeMap<>();
        Map<Bytes, long[]> counts = new TreeMap<>();
        StateIndexes.Counts counting = new StateIndexes.Counts() {
            @Override
            public void add(Bytes statusCount, long delta) {
                counts.computeIfAbsent(statusCount, k -> new long[2])[0] += delta;
            }

            @Override
            public void addOnline(Bytes keyCount, long delta) {
                counts.computeIfAbsent(keyCount, k -> new long[2])[0] += delta;
            }

            @Override
            public void addOffline(Bytes keyCount, long delta) {
                counts.computeIfAbsent(keyCount, k -> new long[2])[1] += delta;
            }
        };
        try (KeyValueIterator<Bytes, byte[]> it = store.range(IndexKeys.statesAfter(null), null)) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                DeviceState state = DeviceStateSerde.read(entry.value);
                StateIndexes.entries(IndexKeys.stateDeviceId(entry.key), state).forEach(key -> derived.put(key, PRESENT));
                StateIndexes.count(state, 1, counting);
            }
        }
        counts.forEach((key, count) -> {
            derived.put(key, Bytes.wrap(IndexKeys.isStatusCount(key) ? IndexKeys.encodeLong(count[0]) : IndexKeys.encodeCounts(count[0], count[1])));
            if (IndexKeys.isAnyKeyCount(key) && count[1] > 0) {
                derived.put(IndexKeys.withOffline(key), Bytes.wrap(IndexKeys.encodeCounts(count[0], count[1])));
            }
        });
        return derived;
    }
}
