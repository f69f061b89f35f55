package io.offlinedetector.topology;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The counts a state store keeps of its devices (per status, per group and per device type, and
 * again those of the keys with OFFLINE devices; keys and values as {@link IndexKeys} lays them out),
 * in memory. A busy count changes with most writes,
 * and RocksDB would keep a version of it for each until it compacts; in memory a change is an add.
 * Readers on other threads (interactive queries) read a count whole, never half-changed.
 */
final class DeviceCounts {

    /** How many devices a count holds online and offline; a status count holds its number as online. */
    private record Count(long online, long offline) {}

    private final ConcurrentSkipListMap<Bytes, Count> counts = new ConcurrentSkipListMap<>();

    /** Whether the key is a count's: these are kept here, not in RocksDB. */
    static boolean holds(Bytes key) {
        return IndexKeys.isCount(key);
    }

    /** The count as the store presents it, or {@code null} when it counts nothing. */
    byte[] get(Bytes key) {
        Count count = counts.get(key);
        return count == null ? null : encode(key, count);
    }

    /** The counts from {@code from} to {@code to}, both inclusive, as entries in key order; a null bound is open. */
    KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        NavigableMap<Bytes, Count> range = counts;
        if (from != null) {
            range = range.tailMap(from, true);
        }
        if (to != null) {
            range = range.headMap(to, true);
        }
        Iterator<Map.Entry<Bytes, Count>> entries = range.entrySet().iterator();
        return new KeyValueIterator<>() {
            private Map.Entry<Bytes, Count> next = entries.hasNext() ? entries.next() : null;

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public KeyValue<Bytes, byte[]> next() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                KeyValue<Bytes, byte[]> entry = KeyValue.pair(next.getKey(), encode(next.getKey(), next.getValue()));
                next = entries.hasNext() ? entries.next() : null;
                return entry;
            }

            @Override
            public Bytes peekNextKey() {
                if (next == null) {
                    throw new NoSuchElementException();
                }
                return next.getKey();
            }

            @Override
            public void close() {}
        };
    }

    /**
     * Adds the changes of one write ({@code online, offline} per count); a count of nothing goes. A
     * key's count is also kept under {@link IndexKeys#withOffline} while it has OFFLINE devices.
     */
    void add(Map<Bytes, long[]> changes) {
        changes.forEach((key, change) -> {
            if (change[0] != 0 || change[1] != 0) {
                Count count = counts.getOrDefault(key, new Count(0, 0));
                Count sum = new Count(count.online() + change[0], count.offline() + change[1]);
                put(key, sum.online() == 0 && sum.offline() == 0 ? null : sum);
                if ((count.offline() > 0 || sum.offline() > 0) && IndexKeys.isAnyKeyCount(key)) { // most changes are of ONLINE devices
                    put(IndexKeys.withOffline(key), sum.offline() == 0 ? null : sum);
                }
            }
        });
    }

    /** @param count {@code null} to drop the key */
    private void put(Bytes key, Count count) {
        if (count == null) {
            counts.remove(key);
        } else {
            counts.put(key, count);
        }
    }

    void clear() {
        counts.clear();
    }

    /** Reads the counts {@link #save} left in RocksDB. */
    void load(KeyValueStore<Bytes, byte[]> rocks) {
        counts.clear();
        try (KeyValueIterator<Bytes, byte[]> saved = rocks.range(IndexKeys.countsStart(), IndexKeys.countsEnd())) {
            while (saved.hasNext()) {
                KeyValue<Bytes, byte[]> entry = saved.next();
                counts.put(entry.key, IndexKeys.isStatusCount(entry.key) ? new Count(IndexKeys.decodeLong(entry.value), 0)
                        : new Count(IndexKeys.decodeOnline(entry.value), IndexKeys.decodeOffline(entry.value)));
            }
        }
    }

    /** Writes the counts to RocksDB in place of those saved before, in one write. */
    void save(KeyValueStore<Bytes, byte[]> rocks) {
        List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> saved = rocks.range(IndexKeys.countsStart(), IndexKeys.countsEnd())) {
            saved.forEachRemaining(entry -> batch.add(KeyValue.pair(entry.key, null)));
        }
        counts.forEach((key, count) -> batch.add(KeyValue.pair(key, encode(key, count))));
        rocks.putAll(batch);
    }

    private static byte[] encode(Bytes key, Count count) {
        return IndexKeys.isStatusCount(key) ? IndexKeys.encodeLong(count.online()) : IndexKeys.encodeCounts(count.online(), count.offline());
    }
}
