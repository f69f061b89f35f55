package io.offlinedetector.query;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The counts of every group (or device type), in key order ({@link GroupCount#KEY_ORDER}): as many
 * entries as there are keys, whatever the size of the fleet.
 *
 * @param missing the instances and partitions whose devices are not counted; empty when complete
 */
public record GroupCounts(List<GroupCount> groups, List<String> missing) {

    /** Adds counts up by key: over partitions, and over instances. */
    public static final class Sum {

        private final TreeMap<String, long[]> byKey = new TreeMap<>(GroupCount.KEYS);

        public Sum add(String key, long online, long offline) {
            long[] counts = byKey.computeIfAbsent(key, k -> new long[2]);
            counts[0] += online;
            counts[1] += offline;
            return this;
        }

        public Sum add(List<GroupCount> counts) {
            counts.forEach(count -> add(count.key(), count.online(), count.offline()));
            return this;
        }

        public GroupCounts counts(List<String> missing) {
            List<GroupCount> groups = new ArrayList<>(byKey.size());
            byKey.forEach((key, counts) -> groups.add(GroupCount.of(key, counts[0], counts[1])));
            return new GroupCounts(groups, missing);
        }
    }
}
