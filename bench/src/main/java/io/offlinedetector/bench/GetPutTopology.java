package io.offlinedetector.bench;

import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The catch-up baseline (docs/performance.md, 'What each phase does'): the least a stateful
 * detector must do per heartbeat, one RocksDB get and one put, with the same store settings
 * (logged, no record cache) as the detector's device states.
 */
final class GetPutTopology {

    static final String STORE = "bench-get-put";

    private GetPutTopology() {}

    static Topology build(String topic) {
        Topology topology = new Topology();
        topology.addSource(AutoOffsetReset.earliest(), "source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), topic);
        topology.addProcessor("get-put", GetPut::new, "source");
        topology.addStateStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(), Serdes.ByteArray()),
                "get-put");
        return topology;
    }

    /** Reads the key's last value and writes the record's timestamp: a get and a put, nothing else. */
    private static final class GetPut implements Processor<byte[], byte[], Void, Void> {
        private KeyValueStore<Bytes, byte[]> store;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            Bytes key = Bytes.wrap(record.key());
            byte[] previous = store.get(key);
            long seen = previous == null ? 0 : previous.length;
            store.put(key, java.nio.ByteBuffer.allocate(Long.BYTES).putLong(Math.max(seen, record.timestamp())).array());
        }
    }
}
