package io.offlinedetector.query;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.FlappingPolicy;
import io.offlinedetector.topics.TopicDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Any instance answers for any device (docs/operations.md, 'How a question finds its answer'). A
 * device question goes where the group's metadata says the device lives: answered here when the
 * active task is local, forwarded once to the owner when it is remote (marked local-only, so the
 * owner never forwards again), and refused with 503 while nobody owns it. Lists and counts ask
 * every instance at once and merge.
 *
 * <p>The owner is the one instance that can know a device: whatever partition a producer put its
 * heartbeats in, the detector hands them on to the device's owner ({@code topology.Rerouting}).
 */
public final class RoutingFleetQueries implements FleetQueries, AutoCloseable {

    /** Loopback or a LAN: a peer that takes longer than this to accept is down. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    /** A local read takes milliseconds; a peer this slow is treated as failed rather than holding the caller. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private final FleetQueries local;
    private final Locator locator;
    private final PeerClient peers;

    /** @param local answers from this instance's own stores, never asking others */
    public RoutingFleetQueries(FleetQueries local, Locator locator, PeerClient peers) {
        this.local = local;
        this.locator = locator;
        this.peers = peers;
    }

    /**
     * The production wiring: this instance's stores, Kafka Streams' metadata, HTTP to the peers;
     * {@link #close} when done.
     *
     * @param assignments told by Kafka Streams' state listener of every change of state
     * @param flapping    when a device counts as flapping
     */
    public static RoutingFleetQueries over(KafkaStreams streams, HostInfo self, AssignmentCache assignments, FlappingPolicy flapping) {
        int partitions = TopicDefinition.heartbeats().partitions();
        return new RoutingFleetQueries(
                new StreamsFleetQueries(streams, self, partitions, assignments, flapping),
                new StreamsLocator(streams, self, partitions, assignments),
                new PeerClient(CONNECT_TIMEOUT, REQUEST_TIMEOUT));
    }

    @Override
    public DeviceAnswer device(String deviceId, boolean allowStale) {
        Location location = locator.locate(deviceId);
        if (location instanceof Location.Unavailable unavailable) {
            return new DeviceAnswer.Unavailable(unavailable.reason(), 1);
        }
        DeviceAnswer answer;
        String owner;
        List<String> standbys;
        if (location instanceof Location.Remote remote) {
            answer = peers.device(remote.url(), deviceId, allowStale, remote.partition());
            owner = remote.url();
            standbys = remote.standbys();
        } else {
            Location.Local here = (Location.Local) location;
            answer = local.deviceAsOwner(deviceId, allowStale, here.partition());
            owner = locator.self();
            standbys = here.standbys();
        }
        if (answer instanceof DeviceAnswer.NotFound && !settled(deviceId, location)) {
            // Mid-handover the instances' metadata can disagree, and a task that just moved can
            // answer from a store that is not open yet: "unknown" would be a guess.
            return new DeviceAnswer.Unavailable("the group is moving partitions between instances", 1);
        }
        if (allowStale && !(answer instanceof DeviceAnswer.Found)) {
            DeviceAnswer fromStandby = askStandbys(deviceId, standbys, owner);
            if (fromStandby instanceof DeviceAnswer.Found) {
                return fromStandby;
            }
        }
        return answer;
    }

    /**
     * Answered by the device's owner only, like {@link #device} without stale reads: the history
     * and the state it is measured against must come from the same, live copy.
     */
    @Override
    public HistoryAnswer history(String deviceId, int limit) {
        Location location = locator.locate(deviceId);
        if (location instanceof Location.Unavailable unavailable) {
            return new HistoryAnswer.Unavailable(unavailable.reason(), 1);
        }
        HistoryAnswer answer = location instanceof Location.Remote remote
                ? peers.history(remote.url(), deviceId, limit, remote.partition())
                : local.historyAsOwner(deviceId, limit, ((Location.Local) location).partition());
        if (answer instanceof HistoryAnswer.NotFound && !settled(deviceId, location)) {
            return new HistoryAnswer.Unavailable("the group is moving partitions between instances", 1);
        }
        return answer;
    }

    /** Whether the group kept still while it was asked: same owner as before, and every partition owned. */
    private boolean settled(String deviceId, Location before) {
        return locator.locate(deviceId).equals(before) && locator.unassignedPartitions().isEmpty();
    }

    /** The active copy cannot answer (restoring, or its instance is gone): a standby's copy will do. */
    private DeviceAnswer askStandbys(String deviceId, List<String> standbys, String owner) {
        String self = locator.self();
        if (standbys.contains(self)) {
            DeviceAnswer answer = local.device(deviceId, true);
            if (answer instanceof DeviceAnswer.Found) {
                return answer;
            }
        }
        for (String standby : standbys) {
            if (!standby.equals(self) && !standby.equals(owner)) {
                DeviceAnswer answer = peers.device(standby, deviceId, true);
                if (answer instanceof DeviceAnswer.Found) {
                    return answer;
                }
            }
        }
        return new DeviceAnswer.NotFound(deviceId);
    }

    /**
     * Every instance returns its first {@code limit} ids after {@code after}; the first
     * {@code limit} of their union, in UTF-8 byte order, are the first {@code limit} of the fleet.
     * Each instance applies the filter before it counts to {@code limit}, so this holds for every filter.
     */
    @Override
    public DevicePage devices(DeviceFilter filter, String after, int limit) {
        Map<String, CompletableFuture<DevicePage>> pending = new LinkedHashMap<>();
        for (String peer : peers()) {
            pending.put(peer, peers.devices(peer, filter, after, limit));
        }
        List<DevicePage> pages = new ArrayList<>(List.of(local.devices(filter, after, limit)));
        List<String> missing = new ArrayList<>(pages.get(0).missing());
        pending.forEach((peer, future) -> {
            try {
                DevicePage page = future.join();
                pages.add(page);
                missing.addAll(page.missing());
            } catch (RuntimeException e) {
                missing.add(peer + " (" + PeerClient.describe(e) + ")");
            }
        });
        missing.addAll(locator.unassignedPartitions());

        TreeMap<String, DeviceView> merged = new TreeMap<>(DeviceIdOrder.UTF8);
        boolean more = false;
        for (DevicePage page : pages) {
            page.devices().forEach(device -> merged.putIfAbsent(device.deviceId(), device));
            more |= page.next() != null;
        }
        List<DeviceView> page = merged.values().stream().limit(limit).toList();
        more |= merged.size() > limit;
        String next = more && !page.isEmpty() ? page.get(page.size() - 1).deviceId() : null;
        return new DevicePage(page, next, missing.stream().distinct().toList());
    }

    /** Sums every instance's counters; an instance that cannot answer is named, never left out silently. */
    @Override
    public FleetStats stats() {
        Map<String, CompletableFuture<FleetStats>> pending = new LinkedHashMap<>();
        for (String peer : peers()) {
            pending.put(peer, peers.stats(peer));
        }
        FleetStats own = local.stats();
        long online = own.online();
        long offline = own.offline();
        List<String> missing = new ArrayList<>(own.missing());
        for (Map.Entry<String, CompletableFuture<FleetStats>> entry : pending.entrySet()) {
            try {
                FleetStats stats = entry.getValue().join();
                online += stats.online();
                offline += stats.offline();
                missing.addAll(stats.missing());
            } catch (RuntimeException e) {
                missing.add(entry.getKey() + " (" + PeerClient.describe(e) + ")");
            }
        }
        missing.addAll(locator.unassignedPartitions());
        return new FleetStats(online + offline, online, offline, missing.stream().distinct().toList());
    }

    /**
     * Every instance counts what {@code which} picks of its own keys; their sums per key are the
     * fleet's (a key range cut to its limit, see {@link KeySelection.After}). An instance that
     * cannot answer is named, as for {@link #stats}.
     */
    @Override
    public GroupCounts countsBy(CountKind kind, KeySelection which) {
        Map<String, CompletableFuture<GroupCounts>> pending = new LinkedHashMap<>();
        for (String peer : peers()) {
            pending.put(peer, peers.countsBy(peer, kind, which));
        }
        GroupCounts own = local.countsBy(kind, which);
        GroupCounts.Sum sum = new GroupCounts.Sum().add(own, which);
        List<String> missing = new ArrayList<>(own.missing());
        for (Map.Entry<String, CompletableFuture<GroupCounts>> entry : pending.entrySet()) {
            try {
                GroupCounts counts = entry.getValue().join();
                sum.add(counts, which);
                missing.addAll(counts.missing());
            } catch (RuntimeException e) {
                missing.add(entry.getKey() + " (" + PeerClient.describe(e) + ")");
            }
        }
        missing.addAll(locator.unassignedPartitions());
        return which.cut(sum.counts(missing.stream().distinct().toList()));
    }

    @Override
    public List<InstanceView> instances() {
        return local.instances();
    }

    @Override
    public boolean ready() {
        return local.ready();
    }

    @Override
    public boolean live() {
        return local.live();
    }

    @Override
    public FleetQueries localOnly() {
        return local;
    }

    /** Closes the connections to the other instances. */
    @Override
    public void close() {
        peers.close();
    }

    private List<String> peers() {
        String self = locator.self();
        return locator.instances().stream().filter(url -> !url.equals(self)).toList();
    }
}
