package io.offlinedetector.topology;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * The detector owns the device → partition mapping, whatever client sent a heartbeat.
 *
 * <p>A device belongs to the partition that Java's default partitioner picks for its key (murmur2
 * of the key's bytes), which is also where Kafka Streams looks for the key when a query asks for
 * it. librdkafka-based clients (Python, Go, .NET, Node, C, kcat) hash keys with CRC32 by default,
 * so their records often land in another partition. Such a record is handed on, unchanged, to its
 * owner through this application's re-routing topic, which has as many partitions as
 * {@code heartbeats}: correctly partitioned input never takes the hop. Exactly-once covers the hop
 * (the hand-over is part of the sending task's transaction), and the owner's clock counts a handed-on
 * record as read only once it has read it from the re-routing topic ({@link InputProgress#reroutedThrough}).
 *
 * <p>With a single partition every device has the same owner, and there is nothing to re-route.
 *
 * @param topic      the re-routing topic, or {@code null} for none
 * @param partitions the partition count of {@code heartbeats}
 */
public record Rerouting(String topic, int partitions) {

    /** No re-routing: one partition owns every device. */
    public static final Rerouting NONE = new Rerouting(null, 1);

    public static Rerouting of(String applicationId, int partitions) {
        return partitions == 1 ? NONE : new Rerouting(applicationId + Names.REROUTED_TOPIC_SUFFIX, partitions);
    }

    public boolean enabled() {
        return topic != null;
    }

    /** @return the partition that owns the device with this key */
    public int ownerOf(byte[] key) {
        return ownerOf(key, partitions);
    }

    /** @return the partition that owns the device with this key, of {@code partitions} */
    public static int ownerOf(byte[] key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key)) % partitions;
    }

    /** Sends a handed-on record to the re-routing topic's partition of its owner. */
    static final class ToOwner implements StreamPartitioner<byte[], byte[]> {

        @Override
        public Optional<Set<Integer>> partitions(String topic, byte[] key, byte[] value, int numPartitions) {
            return Optional.of(Set.of(ownerOf(key, numPartitions)));
        }
    }
}
