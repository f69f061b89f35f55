package io.offlinedetector.topology;

import io.offlinedetector.domain.DeviceState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.CommitCallback;
import org.apache.kafka.streams.processor.StateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.query.PositionBound;
import org.apache.kafka.streams.query.Query;
import org.apache.kafka.streams.query.QueryConfig;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The RocksDB store of the device states ({@link Names#STATE_STORE}), which keeps beside each state
 * the index entries derived from it ({@link StateIndexes}, layout in {@link IndexKeys}): the timer
 * filings, the OFFLINE list, the lists by group and device type, and the counts.
 *
 * <p>Only the states reach the changelog: Kafka Streams logs what is put into this store from above,
 * and the store writes each state's entries itself, below the logging, in one RocksDB write with the
 * state. A restore, and every standby's update, passes each state of the changelog through the same
 * derivation. So a device costs one changelog record per change, whatever it changes in the
 * indexes, and the entries cannot disagree with the states: a crash leaves both or neither.
 *
 * <p>The counts are kept in memory ({@link DeviceCounts}) and read from there as if they were
 * entries. A clean close saves them, with a mark that they are those of the states; an open without
 * the mark (a crash, a new store, or one kept by a version before these entries) derives every
 * entry and count afresh from the states.
 *
 * <p>States are kept compact ({@link CompactDeviceState}), whatever form they are written in; the
 * changelog keeps the form written, which versions before read.
 *
 * <p>A write compares the state before with the state after. The processor reads a device's state
 * just before it writes it, so the store remembers the last state its writing thread read, and does
 * not read it twice.
 */
final class DeviceStateStore implements KeyValueStore<Bytes, byte[]> {

    private static final byte[] PRESENT = {1};
    /**
     * The layout of the derived entries ({@link IndexKeys}) this version writes, kept as the mark's
     * value: a store saved under another layout derives everything again instead of reading counts
     * it would misplace. Change it with the layout.
     */
    static final byte[] LAYOUT = {2};
    /** Derived entries written per RocksDB write when the store derives them all at once. */
    private static final int REBUILD_BATCH = 10_000;

    private final KeyValueStore<Bytes, byte[]> rocks;
    private final DeviceCounts counts = new DeviceCounts();
    /**
     * The thread that writes (the task's stream thread or, while restoring, the state updater's).
     * Interactive queries read from other threads: their reads are not remembered.
     */
    private Thread writer;
    private Bytes lastReadKey;
    private byte[] lastRead;

    private DeviceStateStore(KeyValueStore<Bytes, byte[]> rocks) {
        this.rocks = rocks;
    }

    /** The store under {@code name}, for {@link Stores#keyValueStoreBuilder}, which adds the changelog and metrics around it. */
    static KeyValueBytesStoreSupplier supplier(String name) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return new DeviceStateStore(Stores.persistentKeyValueStore(name).get());
            }

            @Override
            public String metricsScope() {
                return "rocksdb";
            }
        };
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        rocks.init(new RestoringThroughThisStore(context), root);
        if (Arrays.equals(rocks.get(IndexKeys.countsSaved()), LAYOUT)) {
            counts.load(rocks);
            rocks.put(IndexKeys.countsSaved(), null); // first written, so any later write that reaches the disk takes it along
        } else {
            deriveAll();
        }
    }

    @Override
    public void close() {
        if (rocks.isOpen()) {
            counts.save(rocks);
            rocks.put(IndexKeys.countsSaved(), LAYOUT);
        }
        rocks.close();
    }

    @Override
    public byte[] get(Bytes key) {
        if (DeviceCounts.holds(key)) {
            return counts.get(key);
        }
        byte[] value = rocks.get(key);
        if (Thread.currentThread() == writer) {
            lastReadKey = key;
            lastRead = value;
        }
        return value;
    }

    @Override
    public void put(Bytes key, byte[] value) {
        write(key, value);
    }

    @Override
    public byte[] putIfAbsent(Bytes key, byte[] value) {
        byte[] before = get(key);
        if (before == null) {
            put(key, value);
        }
        return before;
    }

    @Override
    public void putAll(List<KeyValue<Bytes, byte[]>> entries) {
        entries.forEach(entry -> put(entry.key, entry.value));
    }

    @Override
    public byte[] delete(Bytes key) {
        return write(key, null);
    }

    /**
     * The state, and the entries that change with it, in one RocksDB write.
     *
     * @return the state before
     */
    private byte[] write(Bytes key, byte[] written) {
        byte[] before = Thread.currentThread() == writer && key.equals(lastReadKey) ? lastRead : rocks.get(key);
        byte[] after = compact(written);
        if (before != null && after != null && CompactDeviceState.sameIndexFields(before, after)) {
            rocks.put(key, after); // most heartbeats: only the last-seen time moves
        } else {
            List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>(4);
            batch.add(KeyValue.pair(key, after));
            CountChanges changes = new CountChanges();
            derive(key, before, after, batch, changes);
            rocks.putAll(batch);
            counts.add(changes.deltas);
        }
        writer = Thread.currentThread();
        lastReadKey = key;
        lastRead = after;
        return before;
    }

    /** Adds to {@code batch} the entries the change drops and adds, and to {@code changes} its counts. */
    private static void derive(Bytes key, byte[] before, byte[] after, List<KeyValue<Bytes, byte[]>> batch, CountChanges changes) {
        String deviceId = IndexKeys.stateDeviceId(key);
        DeviceState was = before == null ? null : DeviceStateSerde.read(before);
        DeviceState is = after == null ? null : DeviceStateSerde.read(after);
        List<Bytes> dropped = was == null ? List.of() : StateIndexes.entries(deviceId, was);
        List<Bytes> added = is == null ? List.of() : StateIndexes.entries(deviceId, is);
        for (Bytes entry : dropped) {
            if (!added.contains(entry)) {
                batch.add(KeyValue.pair(entry, null));
            }
        }
        for (Bytes entry : added) {
            if (!dropped.contains(entry)) {
                batch.add(KeyValue.pair(entry, PRESENT));
            }
        }
        if (was != null) {
            StateIndexes.count(was, -1, changes);
        }
        if (is != null) {
            StateIndexes.count(is, 1, changes);
        }
    }

    /** States restored from the changelog, each with the entries it implies, in one RocksDB write per batch. */
    private void restore(Collection<KeyValue<byte[], byte[]>> records) {
        lastReadKey = null; // a state the stream thread read before its task moved here and back may be older than these
        Map<Bytes, byte[]> restored = new HashMap<>();
        List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>(records.size() * 2);
        CountChanges changes = new CountChanges();
        for (KeyValue<byte[], byte[]> record : records) {
            Bytes key = Bytes.wrap(record.key);
            byte[] before = restored.containsKey(key) ? restored.get(key) : rocks.get(key);
            byte[] after = compact(record.value);
            batch.add(KeyValue.pair(key, after));
            derive(key, before, after, batch, changes);
            restored.put(key, after);
        }
        rocks.putAll(batch);
        counts.add(changes.deltas);
    }

    /** Drops every derived entry and derives them all again from the states, in batches, and counts the states. */
    private void deriveAll() {
        List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> derived = rocks.range(IndexKeys.derivedStart(), IndexKeys.derivedEnd())) {
            while (derived.hasNext()) {
                batch.add(KeyValue.pair(derived.next().key, null));
                batch = flushIfFull(batch);
            }
        }
        rocks.putAll(batch);
        batch = new ArrayList<>();
        CountChanges changes = new CountChanges();
        // Writing while iterating is safe here: the iterator reads a snapshot taken when it opened. A
        // partition's states are never all held in memory; those of versions before become compact.
        try (KeyValueIterator<Bytes, byte[]> states = rocks.range(IndexKeys.statesAfter(null), null)) {
            while (states.hasNext()) {
                KeyValue<Bytes, byte[]> state = states.next();
                if (!CompactDeviceState.isCompact(state.value)) {
                    batch.add(KeyValue.pair(state.key, compact(state.value)));
                }
                derive(state.key, null, state.value, batch, changes);
                batch = flushIfFull(batch);
            }
        }
        rocks.putAll(batch);
        counts.clear();
        counts.add(changes.deltas);
    }

    /** A state as the store keeps it: compact, whatever form it was written or restored in. */
    private static byte[] compact(byte[] state) {
        return state == null || CompactDeviceState.isCompact(state) ? state : CompactDeviceState.write(DeviceStateSerde.read(state));
    }

    private List<KeyValue<Bytes, byte[]>> flushIfFull(List<KeyValue<Bytes, byte[]>> batch) {
        if (batch.size() < REBUILD_BATCH) {
            return batch;
        }
        rocks.putAll(batch);
        return new ArrayList<>();
    }

    /**
     * The counts one write changes, summed before they are added: a heartbeat that moves a device's
     * timer takes it from its counts and adds it back, and changes no count.
     */
    private static final class CountChanges implements StateIndexes.Counts {
        private final Map<Bytes, long[]> deltas = new HashMap<>();

        @Override
        public void add(Bytes statusCount, long delta) {
            deltas.computeIfAbsent(statusCount, k -> new long[2])[0] += delta;
        }

        @Override
        public void addOnline(Bytes keyCount, long delta) {
            deltas.computeIfAbsent(keyCount, k -> new long[2])[0] += delta;
        }

        @Override
        public void addOffline(Bytes keyCount, long delta) {
            deltas.computeIfAbsent(keyCount, k -> new long[2])[1] += delta;
        }
    }

    /**
     * The entries from {@code from} to {@code to}, both inclusive, in key order; a null bound is
     * open. The counts come from memory, in their place among the entries RocksDB holds.
     */
    @Override
    public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
        Bytes countsStart = IndexKeys.countsStart();
        Bytes countsEnd = IndexKeys.countsEnd();
        List<KeyValueIterator<Bytes, byte[]>> parts = new ArrayList<>(3);
        if (from == null || from.compareTo(countsStart) < 0) {
            parts.add(rocks.range(from, to == null || to.compareTo(countsStart) > 0 ? countsStart : to));
        }
        if ((from == null || from.compareTo(countsEnd) < 0) && (to == null || to.compareTo(countsStart) > 0)) {
            parts.add(counts.range(from == null || from.compareTo(countsStart) < 0 ? countsStart : from,
                    to == null || to.compareTo(countsEnd) > 0 ? countsEnd : to));
        }
        if (to == null || to.compareTo(countsEnd) > 0) {
            parts.add(rocks.range(from == null || from.compareTo(countsEnd) < 0 ? countsEnd : from, to));
        }
        return new ConcatenatedIterator(parts);
    }

    @Override
    public KeyValueIterator<Bytes, byte[]> all() {
        return range(null, null);
    }

    @Override
    public long approximateNumEntries() {
        return rocks.approximateNumEntries();
    }

    @Override
    public String name() {
        return rocks.name();
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        rocks.commit(changelogOffsets);
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return rocks.committedOffset(partition);
    }

    @Override
    @SuppressWarnings("deprecation")
    public boolean managesOffsets() {
        return rocks.managesOffsets();
    }

    @Override
    public boolean persistent() {
        return rocks.persistent();
    }

    @Override
    public boolean isOpen() {
        return rocks.isOpen();
    }

    @Override
    public <R> QueryResult<R> query(Query<R> query, PositionBound positionBound, QueryConfig config) {
        return rocks.query(query, positionBound, config);
    }

    @Override
    public Position getPosition() {
        return rocks.getPosition();
    }

    /**
     * The task's context as RocksDB sees it, but for the restore: Kafka Streams hands the records of
     * the changelog to this store, which derives their entries, instead of to RocksDB alone.
     */
    private final class RestoringThroughThisStore extends ForwardingStateStoreContext {

        RestoringThroughThisStore(StateStoreContext context) {
            super(context);
        }

        @Override
        public void register(StateStore store, StateRestoreCallback restoreCallback) {
            super.register(store, (BatchingStateRestoreCallback) DeviceStateStore.this::restore);
        }

        @Override
        public void register(StateStore store, StateRestoreCallback restoreCallback, CommitCallback commitCallback) {
            super.register(store, (BatchingStateRestoreCallback) DeviceStateStore.this::restore, commitCallback);
        }
    }
}
