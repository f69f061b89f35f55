package io.offlinedetector.query;

import io.offlinedetector.topology.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Reads ownership from Kafka Streams' metadata ({@code application.server} of every member).
 * During a rebalance Kafka Streams answers with {@link KeyQueryMetadata#NOT_AVAILABLE} or with
 * the placeholder host {@link HostInfo#unavailable()}; both mean "nobody, for now", never a host
 * to call.
 */
public final class StreamsLocator implements Locator {

    private static final Serializer<String> KEY_SERIALIZER = new StringSerializer();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final int partitions;

    /** @param partitions the partition count of the heartbeats topic */
    public StreamsLocator(KafkaStreams streams, HostInfo self, int partitions) {
        this.streams = streams;
        this.self = self;
        this.partitions = partitions;
    }

    @Override
    public String self() {
        return url(self);
    }

    @Override
    public Location locate(String deviceId) {
        KeyQueryMetadata metadata = streams.queryMetadataForKey(Names.STATE_STORE, deviceId, KEY_SERIALIZER);
        if (metadata == null || metadata == KeyQueryMetadata.NOT_AVAILABLE || isPlaceholder(metadata.activeHost())) {
            return new Location.Unavailable("no instance owns this device right now (the group is rebalancing)");
        }
        List<String> standbys = metadata.standbyHosts().stream().filter(host -> !isPlaceholder(host)).map(StreamsLocator::url).sorted().toList();
        return metadata.activeHost().equals(self)
                ? new Location.Local(metadata.partition(), standbys)
                : new Location.Remote(url(metadata.activeHost()), metadata.partition(), standbys);
    }

    @Override
    public List<String> instances() {
        Set<String> urls = new TreeSet<>();
        urls.add(self());
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
