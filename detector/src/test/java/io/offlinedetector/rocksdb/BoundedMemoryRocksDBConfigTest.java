package io.offlinedetector.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;

class BoundedMemoryRocksDBConfigTest {

    static {
        RocksDB.loadLibrary();
    }

    @Test
    void theBoundComesFromTheStreamsConfigOrTheDefault() {
        assertThat(BoundedMemoryRocksDBConfig.memoryBytes(Map.of())).isEqualTo(256L << 20);
        assertThat(BoundedMemoryRocksDBConfig.memoryBytes(Map.of(BoundedMemoryRocksDBConfig.MEMORY_BYTES_CONFIG, 64L << 20)))
                .isEqualTo(64L << 20);
        assertThat(BoundedMemoryRocksDBConfig.memoryBytes(Map.of(BoundedMemoryRocksDBConfig.MEMORY_BYTES_CONFIG, "1048576")))
                .isEqualTo(1_048_576L);
    }

    @Test
    void manyStoresFillTheirMemtablesBeforeTheWriteBudgetIsSpent() {
        // 256 MiB: 64 MiB for write buffers, a 16th of it per memtable
        assertThat(BoundedMemoryRocksDBConfig.memtableSize(Map.of())).isEqualTo(4L << 20);
        assertThat(BoundedMemoryRocksDBConfig.memtableSize(Map.of(BoundedMemoryRocksDBConfig.MEMORY_BYTES_CONFIG, 4L << 30)))
                .isEqualTo(16L << 20);
    }

    @Test
    void storesShareTheCacheAndKeepIndexAndFiltersInIt() {
        BoundedMemoryRocksDBConfig setter = new BoundedMemoryRocksDBConfig();
        Map<String, Object> configs = Map.of(BoundedMemoryRocksDBConfig.MEMORY_BYTES_CONFIG, 32L << 20);
        try (Options first = new Options().setTableFormatConfig(new BlockBasedTableConfig());
                Options second = new Options().setTableFormatConfig(new BlockBasedTableConfig())) {
            setter.setConfig("a", first, configs);
            setter.setConfig("b", second, configs);
            BlockBasedTableConfig table = (BlockBasedTableConfig) first.tableFormatConfig();
            assertThat(table.cacheIndexAndFilterBlocks()).isTrue();
            assertThat(table.pinTopLevelIndexAndFilter()).isTrue();
            // 32 MiB / 4 for write buffers / 16 stores is below the 1 MiB floor
            assertThat(first.writeBufferSize()).isEqualTo(1L << 20);
            assertThat(first.maxWriteBufferNumber()).isEqualTo(3);
            setter.close("a", first);
            setter.close("b", second);
        }
    }
}
