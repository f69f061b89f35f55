package io.offlinedetector.query;

import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.topology.DeviceStateSerde;
import io.offlinedetector.topology.IndexKeys;
import io.offlinedetector.topology.Names;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.state.QueryableStoreType;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.internals.StateStoreProvider;

/**
 * This instance's tasks as Kafka Streams ran them when they were read: which partitions are active
 * or standing by here, and each one's stores, held directly. Kafka Streams' own read-only view of a
 * store finds the partition's task again at every read, listing every task of every thread (about
 * 25 KiB per read); a store held here was found once, by the same lookup ({@link Direct}). Kept per
 * assignment ({@link AssignmentCache}): a store whose task has gone since is closed, and reading it
 * fails as the view's would ({@link InvalidStateStoreException}).
 */
public final class LocalTasks {

    private final KafkaStreams streams;
    private final Set<Integer> active;
    private final Set<Integer> standby;
    private final Map<Integer, ReadOnlyKeyValueStore<Bytes, byte[]>> states = new ConcurrentHashMap<>();
    private final Map<Integer, ReadOnlyKeyValueStore<Bytes, byte[]>> staleStates = new ConcurrentHashMap<>();
    private final Map<Integer, ReadOnlyKeyValueStore<Bytes, byte[]>> indexes = new ConcurrentHashMap<>();
    private final Map<Integer, ReadOnlyKeyValueStore<Bytes, byte[]>> staleIndexes = new ConcurrentHashMap<>();

    private LocalTasks(KafkaStreams streams, Set<Integer> active, Set<Integer> standby) {
        this.streams = streams;
        this.active = active;
        this.standby = standby;
    }

    /** The tasks of this instance's stream threads now. */
    public static LocalTasks read(KafkaStreams streams) {
        Set<ThreadMetadata> threads = streams.metadataForLocalThreads();
        return new LocalTasks(streams, partitions(threads, false), partitions(threads, true));
    }

    private static Set<Integer> partitions(Set<ThreadMetadata> threads, boolean standby) {
        return threads.stream()
                .flatMap(thread -> (standby ? thread.standbyTasks() : thread.activeTasks()).stream())
                .map(TaskMetadata::topicPartitions)
                .flatMap(Set::stream)
                .filter(tp -> tp.topic().equals(Names.HEARTBEATS_TOPIC))
                .map(tp -> tp.partition())
                .collect(Collectors.toUnmodifiableSet());
    }

    /** The partitions whose active tasks run here. */
    public Set<Integer> active() {
        return active;
    }

    /** Whether the partition's active task runs here, or with {@code allowStale} also its standby. */
    boolean here(int partition, boolean allowStale) {
        return active.contains(partition) || (allowStale && standby.contains(partition));
    }

    /** The device's state in the partition's store; {@code null} when it has none. */
    public DeviceState state(int partition, boolean stale, String deviceId) {
        return DeviceStateSerde.read(states(partition, stale).get(IndexKeys.state(deviceId)));
    }

    /**
     * The states, with the counts and lists derived from them (layout in {@link IndexKeys}).
     *
     * @param stale also a standby's copy, which may lag behind
     */
    public ReadOnlyKeyValueStore<Bytes, byte[]> states(int partition, boolean stale) {
        return (stale ? staleStates : states).computeIfAbsent(partition, p -> store(Names.STATE_STORE, p, stale));
    }

    /** The transitions kept before each device's latest. */
    public ReadOnlyKeyValueStore<Bytes, byte[]> index(int partition) {
        return index(partition, false);
    }

    /** @param stale also a standby's copy, which may lag behind */
    ReadOnlyKeyValueStore<Bytes, byte[]> index(int partition, boolean stale) {
        return (stale ? staleIndexes : indexes).computeIfAbsent(partition, p -> store(Names.INDEX_STORE, p, stale));
    }

    /** Forgets the partition's stores after one could not be read: the next read finds them again. */
    public void forget(int partition) {
        states.remove(partition);
        staleStates.remove(partition);
        indexes.remove(partition);
        staleIndexes.remove(partition);
    }

    private ReadOnlyKeyValueStore<Bytes, byte[]> store(String name, int partition, boolean stale) {
        StoreQueryParameters<ReadOnlyKeyValueStore<Bytes, byte[]>> query = StoreQueryParameters.fromNameAndType(name, new Direct())
                .withPartition(partition);
        return streams.store(stale ? query.enableStaleStores() : query);
    }

    /**
     * The partition's store itself, as Kafka Streams' key-value view finds it for a read (a custom
     * store type, as Kafka Streams' interactive queries allow), rather than the view.
     */
    private static final class Direct implements QueryableStoreType<ReadOnlyKeyValueStore<Bytes, byte[]>> {

        private final QueryableStoreType<ReadOnlyKeyValueStore<Bytes, byte[]>> keyValue = QueryableStoreTypes.keyValueStore();

        @Override
        public boolean accepts(StateStore store) {
            return keyValue.accepts(store);
        }

        @Override
        public ReadOnlyKeyValueStore<Bytes, byte[]> create(StateStoreProvider provider, String storeName) {
            List<ReadOnlyKeyValueStore<Bytes, byte[]>> stores = provider.stores(storeName, keyValue);
            if (stores.size() != 1) {
                throw new InvalidStateStoreException("no single " + storeName + " store for the partition here (found " + stores.size() + ")");
            }
            return stores.get(0);
        }
    }
}
