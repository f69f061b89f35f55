package io.offlinedetector.rocksdb;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds the off-heap memory of every RocksDB store of one instance, after the Kafka Streams
 * documentation's "bounded memory" example: one LRU block cache shared by all stores, a write
 * buffer manager charged to that cache, and index and filter blocks kept in the cache rather than
 * on the heap outside it. Without this each store (two per partition) takes its own cache and
 * memtables, and memory grows with the number of partitions an instance owns.
 *
 * <p>The bound comes from {@link #MEMORY_BYTES_CONFIG} in the Streams configuration.
 */
public final class BoundedMemoryRocksDBConfig implements RocksDBConfigSetter {

    /** Streams configuration key with the bound in bytes; the detector's {@code rocksdb.memory} setting. */
    public static final String MEMORY_BYTES_CONFIG = "offline.detector.rocksdb.memory.bytes";

    /** Used when the key is absent, as in tests that build Streams properties by hand. */
    static final long DEFAULT_MEMORY_BYTES = 256L * 1024 * 1024;

    /** A quarter of the bound for memtables leaves most of it for reads, which the timer check does. */
    private static final int WRITE_BUFFER_SHARE = 4;
    /** Index and filter blocks get a high-priority slice, so that data blocks cannot evict them. */
    private static final double HIGH_PRIORITY_RATIO = 0.1;
    private static final long MAX_MEMTABLE_SIZE = 16L * 1024 * 1024;
    private static final long MIN_MEMTABLE_SIZE = 1024L * 1024;
    /**
     * Stores whose memtables fit the write-buffer budget together before the manager steps in. An
     * instance holds two stores per task (24 for 12 partitions, more with standbys), and the
     * manager, once their memtables pass the budget, makes every store flush whatever it holds:
     * with 16 MiB memtables and a 64 MiB budget that meant ever smaller flushes and stalled writes,
     * and the bench's catch-up fell from about 60,000 to under 2,000 heartbeats/s at 500,000 devices.
     */
    private static final int STORES_PER_WRITE_BUDGET = 16;
    private static final int MEMTABLES_PER_STORE = 3;

    /**
     * One cache and manager per bound, for the life of the JVM: stores open and close on every
     * rebalance, and the shared objects must outlive each of them. Keyed by size so that two
     * instances in one JVM (tests, the bench) with different bounds each get theirs.
     */
    private static final Map<Long, Shared> SHARED = new ConcurrentHashMap<>();

    private record Shared(Cache cache, WriteBufferManager writeBuffers) {
        static Shared of(long bytes) {
            Cache cache = new LRUCache(bytes, -1, false, HIGH_PRIORITY_RATIO);
            return new Shared(cache, new WriteBufferManager(bytes / WRITE_BUFFER_SHARE, cache));
        }
    }

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Shared shared = SHARED.computeIfAbsent(memoryBytes(configs), Shared::of);
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(shared.writeBuffers());
        options.setWriteBufferSize(memtableSize(configs));
        options.setMaxWriteBufferNumber(MEMTABLES_PER_STORE);
        options.setTableFormatConfig(table);
    }

    /** Nothing to close: the cache and the write buffer manager are shared by every store. */
    @Override
    public void close(String storeName, Options options) {}

    static long memoryBytes(Map<String, Object> configs) {
        Object value = configs.get(MEMORY_BYTES_CONFIG);
        if (value == null) {
            return DEFAULT_MEMORY_BYTES;
        }
        return value instanceof Number number ? number.longValue() : Long.parseLong(value.toString().trim());
    }

    /** A memtable takes a {@value #STORES_PER_WRITE_BUDGET}th of the write-buffer budget, within bounds. */
    static long memtableSize(Map<String, Object> configs) {
        long share = memoryBytes(configs) / WRITE_BUFFER_SHARE / STORES_PER_WRITE_BUDGET;
        return Math.min(MAX_MEMTABLE_SIZE, Math.max(MIN_MEMTABLE_SIZE, share));
    }
}
