package io.offlinedetector.query;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.FlappingPolicy;
import io.offlinedetector.domain.Status;
import io.offlinedetector.topology.DeviceStateSerde;
import io.offlinedetector.topology.IndexKeys;
import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.OfflineList;
import io.offlinedetector.topology.Rerouting;
import io.offlinedetector.topology.TransitionHistory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Answers from this instance's own Kafka Streams state stores, partition by partition, never asking
 * another instance: the "local" side of the query package. {@link RoutingFleetQueries} forwards
 * and fans out on top of it.
 */
public final class StreamsFleetQueries implements FleetQueries {

    private static final int RETRY_AFTER_SECONDS = 1;

    private final KafkaStreams streams;
    private final HostInfo self;
    private final String url;
    private final int partitions;
    private final FlappingPolicy flapping;
    private final Clock clock;
    /** The tasks and stores a device's questions read, kept per assignment; lists and counts read them afresh. */
    private final Supplier<LocalTasks> tasks;

    /**
     * @param partitions  the partition count of the heartbeats topic
     * @param assignments where this instance's tasks are kept between changes of the assignment
     * @param flapping    when a device counts as flapping, judged now from its kept transitions
     */
    public StreamsFleetQueries(KafkaStreams streams, HostInfo self, int partitions, AssignmentCache assignments, FlappingPolicy flapping) {
        this(streams, self, partitions, assignments, flapping, Clock.systemUTC());
    }

    /** @param clock where the uptime and flapping windows end: this instance's wall clock */
    public StreamsFleetQueries(KafkaStreams streams, HostInfo self, int partitions, AssignmentCache assignments, FlappingPolicy flapping,
            Clock clock) {
        this.streams = streams;
        this.self = self;
        this.url = url(self);
        this.partitions = partitions;
        this.flapping = flapping;
        this.clock = clock;
        this.tasks = assignments.kept(() -> LocalTasks.read(streams));
    }

    /**
     * Reads the device's owner partition, the only one that holds it ({@link Rerouting}): the active
     * copy, or with {@code allowStale} also this instance's standby copy.
     */
    @Override
    public DeviceAnswer device(String deviceId, boolean allowStale) {
        int partition = Rerouting.ownerOf(deviceId.getBytes(StandardCharsets.UTF_8), partitions);
        LocalTasks local = tasks.get();
        if (!local.here(partition, allowStale)) {
            return new DeviceAnswer.NotFound(deviceId);
        }
        try {
            DeviceState state = local.state(partition, allowStale, deviceId);
            return state == null ? new DeviceAnswer.NotFound(deviceId)
                    : new DeviceAnswer.Found(DeviceView.of(deviceId, state, flapping(() -> local.index(partition, allowStale), deviceId, state)), url);
        } catch (InvalidStateStoreException e) {
            local.forget(partition);
            return new DeviceAnswer.Unavailable("the device's state is migrating or restoring", RETRY_AFTER_SECONDS);
        }
    }

    @Override
    public DeviceAnswer deviceAsOwner(String deviceId, boolean allowStale, int partition) {
        if (!tasks.get().here(partition, allowStale)) {
            return new DeviceAnswer.Unavailable("partition " + partition + " is moving to this instance and not processed here yet",
                    RETRY_AFTER_SECONDS);
        }
        return device(deviceId, allowStale);
    }

    /** Reads the device's state and its kept transitions from its owner partition's active copy. */
    @Override
    public HistoryAnswer history(String deviceId, int limit) {
        int partition = Rerouting.ownerOf(deviceId.getBytes(StandardCharsets.UTF_8), partitions);
        LocalTasks local = tasks.get();
        if (!local.here(partition, false)) {
            return new HistoryAnswer.NotFound(deviceId);
        }
        try {
            DeviceState state = local.state(partition, false, deviceId);
            if (state == null) {
                return new HistoryAnswer.NotFound(deviceId);
            }
            var kept = TransitionHistory.newestFirst(local.index(partition), deviceId, state, TransitionHistory.KEPT);
            return new HistoryAnswer.Found(HistoryView.of(deviceId, kept, state, clock.millis(), limit), url);
        } catch (InvalidStateStoreException e) {
            local.forget(partition);
            return new HistoryAnswer.Unavailable("the device's state is migrating or restoring", RETRY_AFTER_SECONDS);
        }
    }

    @Override
    public HistoryAnswer historyAsOwner(String deviceId, int limit, int partition) {
        if (!tasks.get().here(partition, false)) {
            return new HistoryAnswer.Unavailable("partition " + partition + " is moving to this instance and not processed here yet",
                    RETRY_AFTER_SECONDS);
        }
        return history(deviceId, limit);
    }

    /**
     * Whether the device flaps now, until it calms: a device with no more transitions than the
     * policy counts cannot, and its history is not read.
     */
    private boolean flapping(Supplier<ReadOnlyKeyValueStore<Bytes, byte[]>> index, String deviceId, DeviceState state) {
        return state.sequence() > flapping.transitions()
                && flapping.flappingAt(TransitionHistory.newestFirst(index.get(), deviceId, state, flapping.transitions()), clock.millis());
    }

    @Override
    public DevicePage devices(DeviceFilter filter, String after, int limit) {
        TreeSet<String> ids = new TreeSet<>(DeviceIdOrder.UTF8);
        List<Integer> partitions = activePartitions();
        List<String> missing = arriving(partitions);
        java.util.Map<String, Integer> partitionOf = new java.util.HashMap<>();
        for (int partition : partitions) {
            try {
                for (String id : matchingIds(partition, filter, after, limit + 1)) {
                    ids.add(id);
                    partitionOf.put(id, partition);
                }
            } catch (InvalidStateStoreException e) {
                missing.add(url + " partition " + partition);
            }
        }
        List<DeviceView> page = new ArrayList<>();
        for (String id : ids) {
            if (page.size() == limit) {
                break;
            }
            try {
                DeviceState state = state(stateStore(partitionOf.get(id)), id);
                if (state != null && filter.matches(state)) {
                    page.add(DeviceView.of(id, state, flapping(() -> indexStore(partitionOf.get(id)), id, state)));
                }
            } catch (InvalidStateStoreException e) {
                missing.add(url + " partition " + partitionOf.get(id));
            }
        }
        String next = ids.size() > limit && !page.isEmpty() ? page.get(page.size() - 1).deviceId() : null;
        return new DevicePage(page, next, missing.stream().distinct().toList());
    }

    @Override
    public FleetStats stats() {
        long online = 0;
        long offline = 0;
        List<Integer> partitions = activePartitions();
        List<String> missing = arriving(partitions);
        for (int partition : partitions) {
            try {
                ReadOnlyKeyValueStore<Bytes, byte[]> states = stateStore(partition);
                online += IndexKeys.decodeLong(states.get(IndexKeys.count(Status.ONLINE)));
                offline += IndexKeys.decodeLong(states.get(IndexKeys.count(Status.OFFLINE)));
            } catch (InvalidStateStoreException e) {
                missing.add(url + " partition " + partition);
            }
        }
        return new FleetStats(online + offline, online, offline, missing);
    }

    /** What {@code which} asks of each active partition's counts by key (see {@link PartitionKeyCounts}), added up. */
    @Override
    public GroupCounts countsBy(CountKind kind, KeySelection which) {
        GroupCounts.Sum sum = new GroupCounts.Sum();
        List<Integer> partitions = activePartitions();
        List<String> missing = arriving(partitions);
        for (int partition : partitions) {
            try {
                List<GroupCount> counts = new PartitionKeyCounts(stateStore(partition), kind).read(which);
                sum.add(counts); // a partition that fails half-way is missing, not half counted
            } catch (InvalidStateStoreException e) {
                missing.add(url + " partition " + partition);
            }
        }
        return which.cut(sum.counts(missing));
    }

    @Override
    public List<InstanceView> instances() {
        List<InstanceView> instances = new ArrayList<>();
        for (StreamsMetadata metadata : streams.metadataForAllStreamsClients()) {
            instances.add(new InstanceView(
                    url(metadata.hostInfo()),
                    metadata.hostInfo().equals(self),
                    metadata.topicPartitions().stream().filter(tp -> tp.topic().equals(Names.HEARTBEATS_TOPIC)).map(tp -> tp.partition()).sorted().toList(),
                    metadata.standbyTopicPartitions().stream().filter(tp -> tp.topic().equals(Names.HEARTBEATS_TOPIC)).map(tp -> tp.partition()).sorted().toList()));
        }
        return instances;
    }

    @Override
    public boolean ready() {
        return streams.state() == KafkaStreams.State.RUNNING;
    }

    @Override
    public boolean live() {
        KafkaStreams.State state = streams.state();
        return state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR;
    }

    private List<String> idsAfter(int partition, String after, int max) {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = stateStore(partition).range(IndexKeys.statesAfter(after), null)) {
            while (it.hasNext() && ids.size() < max) {
                ids.add(IndexKeys.stateDeviceId(it.next().key));
            }
        }
        return ids;
    }

    /** The partition's first {@code max} ids after {@code after} that the filter matches, from the smallest list that holds them all. */
    private List<String> matchingIds(int partition, DeviceFilter filter, String after, int max) {
        if (!filter.byKey()) {
            Status status = filter.status();
            return status == null ? idsAfter(partition, after, max)
                    : status == Status.OFFLINE ? OfflineList.idsAfter(stateStore(partition), after, max) : idsAfterWithStatus(partition, status, after, max);
        }
        ReadOnlyKeyValueStore<Bytes, byte[]> states = stateStore(partition);
        DeviceSelection.Source source = DeviceSelection.source(filter,
                kind -> devicesWith(states.get(IndexKeys.keyCount(kind, filter.key(kind)))),
                () -> IndexKeys.decodeLong(states.get(IndexKeys.count(Status.OFFLINE))));
        Bytes from;
        Bytes to;
        Function<Bytes, String> idOf;
        if (source == DeviceSelection.Source.OFFLINE) {
            from = IndexKeys.byStatusAfter(Status.OFFLINE, after);
            to = IndexKeys.byStatusEnd(Status.OFFLINE);
            idOf = IndexKeys::byStatusDeviceId;
        } else {
            CountKind kind = source.kind();
            from = IndexKeys.keyedAfter(kind, filter.key(kind), after);
            to = IndexKeys.keyedEnd(kind, filter.key(kind));
            idOf = IndexKeys::keyedDeviceId;
        }
        try (KeyValueIterator<Bytes, byte[]> it = states.range(from, to)) {
            // The ends are never keys of the list: the status's without an id, the key's past any UTF-8.
            Iterator<String> candidates = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public String next() {
                    return idOf.apply(it.next().key);
                }
            };
            return DeviceSelection.matching(candidates, id -> state(states, id), filter, max);
        }
    }

    private static long devicesWith(byte[] counts) {
        return IndexKeys.decodeOnline(counts) + IndexKeys.decodeOffline(counts);
    }

    /**
     * Devices of a status the index does not list (ONLINE, most of a fleet): the device states in id
     * order, skipping the others. A page reads about as many states as it returns, unless most of
     * the fleet has another status.
     */
    private List<String> idsAfterWithStatus(int partition, Status status, String after, int max) {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = stateStore(partition).range(IndexKeys.statesAfter(after), null)) {
            while (it.hasNext() && ids.size() < max) {
                KeyValue<Bytes, byte[]> entry = it.next();
                if (DeviceStateSerde.read(entry.value).status() == status) {
                    ids.add(IndexKeys.stateDeviceId(entry.key));
                }
            }
        }
        return ids;
    }

    /**
     * Partitions the group's metadata already gives this instance whose tasks do not run here yet:
     * no other instance counts them either, so they are missing, not empty.
     */
    private List<String> arriving(List<Integer> running) {
        List<String> arriving = new ArrayList<>();
        for (StreamsMetadata member : streams.metadataForAllStreamsClients()) {
            if (member.hostInfo().equals(self)) {
                member.topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(Names.HEARTBEATS_TOPIC) && !running.contains(tp.partition()))
                        .map(tp -> url + " partition " + tp.partition() + " (moving here, not open yet)")
                        .sorted()
                        .forEach(arriving::add);
            }
        }
        return arriving;
    }

    /** The partitions whose active tasks run here now: lists and counts read them afresh, so that none is left out unsaid. */
    private List<Integer> activePartitions() {
        return streams.metadataForLocalThreads().stream()
                .flatMap(thread -> thread.activeTasks().stream())
                .flatMap(task -> task.topicPartitions().stream())
                .filter(tp -> tp.topic().equals(Names.HEARTBEATS_TOPIC))
                .map(tp -> tp.partition())
                .sorted()
                .toList();
    }

    private static DeviceState state(ReadOnlyKeyValueStore<Bytes, byte[]> states, String deviceId) {
        return DeviceStateSerde.read(states.get(IndexKeys.state(deviceId)));
    }

    /** The states, with the counts and lists derived from them (layout in {@link IndexKeys}). */
    private ReadOnlyKeyValueStore<Bytes, byte[]> stateStore(int partition) {
        return store(Names.STATE_STORE, partition);
    }

    /** The transitions kept before each device's latest. */
    private ReadOnlyKeyValueStore<Bytes, byte[]> indexStore(int partition) {
        return store(Names.INDEX_STORE, partition);
    }

    private ReadOnlyKeyValueStore<Bytes, byte[]> store(String name, int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<Bytes, byte[]>keyValueStore()).withPartition(partition));
    }

    static String url(HostInfo host) {
        return "http://" + host.host() + ":" + host.port();
    }
}
