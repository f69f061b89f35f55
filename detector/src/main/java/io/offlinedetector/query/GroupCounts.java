package io.offlinedetector.query;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Counts of groups (or device types), in key order ({@link GroupCount#KEY_ORDER}): every key, or
 * those a {@link KeySelection} picks; as many entries as there are keys, whatever the size of the fleet.
 *
 * @param more    more keys follow in key order (a {@link KeySelection.After} that was cut to its limit)
 * @param missing the instances and partitions whose devices are not counted; empty when complete
 */
public record GroupCounts(List<GroupCount> groups, boolean more, List<String> missing) {

    public GroupCounts(List<GroupCount> groups, List<String> missing) {
        this(groups, false, missing);
    }

    /** Adds counts up by key: over partitions, and over instances. */
    public static final class Sum {

        private final TreeMap<String, long[]> byKey = new TreeMap<>(GroupCount.KEYS);
        private boolean more;

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

        /** Adds what {@code which} takes of one instance's (or partition's) answer, and whether more followed it. */
        public Sum add(GroupCounts counts, KeySelection which) {
            for (GroupCount count : counts.groups()) {
                GroupCount taken = which.admit(count);
                if (taken != null) {
                    add(taken.key(), taken.online(), taken.offline());
                }
            }
            more |= counts.more();
            return this;
        }

        public GroupCounts counts(List<String> missing) {
            List<GroupCount> groups = new ArrayList<>(byKey.size());
            byKey.forEach((key, counts) -> groups.add(GroupCount.of(key, counts[0], counts[1])));
            return new GroupCounts(groups, more, missing);
        }
    }
}
