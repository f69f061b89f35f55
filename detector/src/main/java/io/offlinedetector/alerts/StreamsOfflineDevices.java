package io.offlinedetector.alerts;

import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.FlappingPolicy;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.Transition;
import io.offlinedetector.topology.IndexKeys;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.TransitionHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * {@link OfflineDevices} from the active copies of this instance's stores, by interactive queries.
 * The query handles of each partition are kept from one look at the assignment to the next: a pass
 * reads thousands of devices, and asking Kafka Streams for the store each time costs more than the
 * read.
 */
final class StreamsOfflineDevices implements OfflineDevices {

    private final KafkaStreams streams;
    private final FlappingPolicy flapping;
    private final Map<Integer, ReadOnlyKeyValueStore<String, DeviceState>> states = new ConcurrentHashMap<>();
    private final Map<Integer, ReadOnlyKeyValueStore<Bytes, byte[]>> indexes = new ConcurrentHashMap<>();

    StreamsOfflineDevices(KafkaStreams streams, FlappingPolicy flapping) {
        this.streams = streams;
        this.flapping = flapping;
    }

    @Override
    public Set<Integer> activePartitions() {
        states.clear();
        indexes.clear();
        Set<Integer> partitions = new TreeSet<>();
        streams.metadataForLocalThreads().forEach(thread -> thread.activeTasks().forEach(task -> task.topicPartitions().stream()
                .filter(tp -> tp.topic().equals(Names.HEARTBEATS_TOPIC))
                .forEach(tp -> partitions.add(tp.partition()))));
        return partitions;
    }

    @Override
    public DeviceAlert alert(String deviceId, int partition, long now) {
        DeviceState state = states(partition).get(deviceId);
        if (state == null) {
            return null; // removed: the removal brought its own resolve
        }
        if (state.status() == Status.OFFLINE) {
            // A device with no more transitions than the policy counts cannot flap: no history to read.
            boolean flaps = state.sequence() > flapping.transitions() && flapping.flappingWhenLastOffline(history(partition, deviceId));
            return DeviceAlert.firing(deviceId, state, flaps);
        }
        List<Transition> history = history(partition, deviceId);
        for (Transition transition : history) {
            if (transition.status() == Status.OFFLINE) {
                return new DeviceAlert(deviceId, state.deviceType(), state.group(), flapping.flappingWhenLastOffline(history), state.lastSeen(),
                        transition.changedAt(), Math.max(now, transition.changedAt()));
            }
        }
        return null;
    }

    @Override
    public List<String> offlineIds(int partition, String after, int max) {
        List<String> ids = new ArrayList<>();
        Bytes end = IndexKeys.byStatusEnd(Status.OFFLINE);
        try (KeyValueIterator<Bytes, byte[]> it = index(partition).range(IndexKeys.byStatusAfter(Status.OFFLINE, after), end)) {
            while (it.hasNext() && ids.size() < max) {
                Bytes key = it.next().key;
                if (!key.equals(end)) {
                    ids.add(IndexKeys.byStatusDeviceId(key));
                }
            }
        }
        return ids;
    }

    /** The newest transitions that show the last OFFLINE, and whether it flapped then: one more than the policy counts. */
    private List<Transition> history(int partition, String deviceId) {
        return TransitionHistory.newestFirst(index(partition), deviceId, flapping.transitions() + 1);
    }

    private ReadOnlyKeyValueStore<String, DeviceState> states(int partition) {
        return states.computeIfAbsent(partition, p -> streams.store(StoreQueryParameters
                .fromNameAndType(Names.STATE_STORE, QueryableStoreTypes.<String, DeviceState>keyValueStore()).withPartition(p)));
    }

    private ReadOnlyKeyValueStore<Bytes, byte[]> index(int partition) {
        return indexes.computeIfAbsent(partition, p -> streams.store(StoreQueryParameters
                .fromNameAndType(Names.INDEX_STORE, QueryableStoreTypes.<Bytes, byte[]>keyValueStore()).withPartition(p)));
    }
}
