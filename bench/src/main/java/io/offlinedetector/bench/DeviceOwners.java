package io.offlinedetector.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;

/**
 * Which instance owns which device, from the instances' active partitions ({@code GET /instances})
 * and the Java producer's partitioner, which put the bench's heartbeats where they are.
 */
final class DeviceOwners {

    private final Map<String, Set<Integer>> activePartitions;
    private final int partitions;

    /** @param activePartitions each instance's URL and the heartbeats partitions it processes */
    DeviceOwners(Map<String, Set<Integer>> activePartitions, int partitions) {
        this.activePartitions = new LinkedHashMap<>(activePartitions);
        this.partitions = partitions;
    }

    static int partitionOf(String deviceId, int partitions) {
        return BuiltInPartitioner.partitionForKey(deviceId.getBytes(StandardCharsets.UTF_8), partitions);
    }

    /** The instance that processes the device's partition, or {@code null} when none does. */
    String owner(String deviceId) {
        int partition = partitionOf(deviceId, partitions);
        return activePartitions.entrySet().stream().filter(e -> e.getValue().contains(partition))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    /** Each device asked of the instance that owns it: answered from that instance's own store. */
    List<QueryLoad.Target> local(Collection<String> deviceIds) {
        List<QueryLoad.Target> targets = new ArrayList<>();
        for (String id : deviceIds) {
            String owner = owner(id);
            if (owner != null) {
                targets.add(new QueryLoad.Target(owner, id, owner));
            }
        }
        return targets;
    }

    /** Each device asked of an instance that does not own it: forwarded once, to the owner. */
    List<QueryLoad.Target> forwarded(Collection<String> deviceIds) {
        return forwarded(deviceIds, null);
    }

    /** Only the devices that {@code via} does not own, asked of {@code via}; every instance's when {@code via} is {@code null}. */
    List<QueryLoad.Target> forwarded(Collection<String> deviceIds, String via) {
        List<QueryLoad.Target> targets = new ArrayList<>();
        for (String id : deviceIds) {
            String owner = owner(id);
            if (owner == null || owner.equals(via)) {
                continue;
            }
            activePartitions.keySet().stream().filter(url -> !url.equals(owner) && (via == null || url.equals(via))).findFirst()
                    .ifPresent(other -> targets.add(new QueryLoad.Target(other, id, owner)));
        }
        return targets;
    }

    /** Up to {@code perPartition} of the devices in each partition the instance processes, and every such partition covered. */
    List<String> sampleOwnedBy(String instance, Collection<String> deviceIds, int perPartition) {
        Map<Integer, Integer> taken = new LinkedHashMap<>();
        List<String> sample = new ArrayList<>();
        for (String id : deviceIds) {
            int partition = partitionOf(id, partitions);
            if (activePartitions.getOrDefault(instance, Set.of()).contains(partition) && taken.merge(partition, 1, Integer::sum) <= perPartition) {
                sample.add(id);
            }
        }
        Set<Integer> missing = new TreeSet<>(activePartitions.getOrDefault(instance, Set.of()));
        missing.removeAll(taken.keySet());
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no sampled device in partitions " + missing + " of " + instance + "; sample more devices");
        }
        return sample;
    }
}
