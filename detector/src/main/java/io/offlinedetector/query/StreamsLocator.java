package io.offlinedetector.query;

import io.offlinedetector.topology.Names;
import io.offlinedetector.topology.Rerouting;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Reads ownership from Kafka Streams' metadata ({@code application.server} of every member). A
 * device's partition is its key's murmur2 hash, as Java producers and Kafka Streams compute it; who
 * processes each partition is read once per assignment ({@link AssignmentCache}) rather than at
 * every lookup, as {@code KafkaStreams#queryMetadataForKey} would (it copied every member's
 * partitions, about 5 KiB per lookup). During a rebalance a partition may have no owner yet, or the
 * placeholder host {@link HostInfo#unavailable()}: both mean "nobody, for now", never a host to call.
 */
public final class StreamsLocator implements Locator {

    private static final Location NOBODY = new Location.Unavailable("no instance owns this device right now (the group is rebalancing)");

    private final KafkaStreams streams;
    private final HostInfo self;
    private final String selfUrl;
    private final int partitions;
    /** Where each partition is processed, by partition. */
    private final Supplier<List<Location>> owners;

    /**
     * @param partitions  the partition count of the heartbeats topic
     * @param assignments where the owners are kept between changes of the assignment
     */
    public StreamsLocator(KafkaStreams streams, HostInfo self, int partitions, AssignmentCache assignments) {
        this.streams = streams;
        this.self = self;
        this.selfUrl = url(self);
        this.partitions = partitions;
        this.owners = assignments.kept(this::readOwners);
    }

    @Override
    public String self() {
        return selfUrl;
    }

    @Override
    public Location locate(String deviceId) {
        return owners.get().get(Rerouting.ownerOf(deviceId.getBytes(StandardCharsets.UTF_8), partitions));
    }

    private List<Location> readOwners() {
        HostInfo[] active = new HostInfo[partitions];
        List<Set<String>> standbys = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            standbys.add(new TreeSet<>());
        }
        for (StreamsMetadata member : streams.metadataForAllStreamsClients()) {
            if (isPlaceholder(member.hostInfo())) {
                continue;
            }
            for (TopicPartition tp : member.topicPartitions()) {
                if (tp.topic().equals(Names.HEARTBEATS_TOPIC) && tp.partition() < partitions) {
                    active[tp.partition()] = member.hostInfo();
                }
            }
            for (TopicPartition tp : member.standbyTopicPartitions()) {
                if (tp.topic().equals(Names.HEARTBEATS_TOPIC) && tp.partition() < partitions) {
                    standbys.get(tp.partition()).add(url(member.hostInfo()));
                }
            }
        }
        List<Location> owners = new ArrayList<>(partitions);
        for (int partition = 0; partition < partitions; partition++) {
            List<String> standing = List.copyOf(standbys.get(partition));
            HostInfo owner = active[partition];
            owners.add(owner == null ? NOBODY
                    : owner.equals(self) ? new Location.Local(partition, standing)
                    : new Location.Remote(url(owner), partition, standing));
        }
        return List.copyOf(owners);
    }

    @Override
    public List<String> instances() {
        Set<String> urls = new TreeSet<>();
        urls.add(selfUrl);
        for (StreamsMetadata member : streams.metadataForAllStreamsClients()) {
            if (!isPlaceholder(member.hostInfo())) {
                urls.add(url(member.hostInfo()));
            }
        }
        return List.copyOf(urls);
    }

    @Override
    public List<String> unassignedPartitions() {
        Set<Integer> assigned = new TreeSet<>();
        for (StreamsMetadata member : streams.metadataForAllStreamsClients()) {
            member.topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(Names.HEARTBEATS_TOPIC))
                    .forEach(tp -> assigned.add(tp.partition()));
        }
        List<String> unassigned = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            if (!assigned.contains(partition)) {
                unassigned.add("partition " + partition + " (no instance processes it right now)");
            }
        }
        return unassigned;
    }

    private static boolean isPlaceholder(HostInfo host) {
        return host == null || host.equals(HostInfo.unavailable()) || host.port() <= 0;
    }

    static String url(HostInfo host) {
        return "http://" + host.host() + ":" + host.port();
    }
}
