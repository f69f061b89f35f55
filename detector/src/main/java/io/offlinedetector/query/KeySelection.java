package io.offlinedetector.query;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which groups (or device types) an instance counts: the parts that an answer of
 * {@code GET /stats?by=} is put together from (see {@link GroupCountPaging}). Each instance reads
 * only what is asked of its own stores, and the answers add up per key across instances.
 */
public sealed interface KeySelection {

    /** Every key. */
    KeySelection EVERY = new Every();
    /** The keys with OFFLINE devices, counting those only: how the worst-first order finds its groups. */
    KeySelection OFFLINE_DEVICES = new OfflineDevices();

    /**
     * What of {@code count} this selection takes, or {@code null} when none of it: so that the
     * answer of an instance that counted more than it was asked (a version before the selections
     * answers every key) adds up as it should.
     */
    GroupCount admit(GroupCount count);

    /** The sum of every instance's answer as this selection has it. */
    default GroupCounts cut(GroupCounts sum) {
        return sum;
    }

    record Every() implements KeySelection {
        @Override
        public GroupCount admit(GroupCount count) {
            return count;
        }
    }

    /** Counts only the OFFLINE devices of each key (online is 0), and only keys that have some. */
    record OfflineDevices() implements KeySelection {
        @Override
        public GroupCount admit(GroupCount count) {
            return count.offline() > 0 ? GroupCount.of(count.key(), 0, count.offline()) : null;
        }
    }

    /**
     * The first {@code limit} keys after {@code after} in key order, and whether more follow. The
     * first {@code limit} of the union of every instance's (or partition's) first {@code limit} are
     * the fleet's, with every instance's counts of them: a key that one left out comes after its
     * {@code limit} keys, so after the first {@code limit} of the union.
     *
     * @param after the place to start after, or {@code null} from the first key (the devices without one)
     */
    record After(GroupCountPage.Cursor after, int limit) implements KeySelection {
        public After {
            if (after != null && after.order() != GroupCountPage.Order.KEY) {
                throw new IllegalArgumentException("a key range starts after a place in key order");
            }
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1");
            }
        }

        @Override
        public GroupCount admit(GroupCount count) {
            return after == null || GroupCount.KEYS.compare(count.key(), after.key()) > 0 ? count : null;
        }

        /** The first {@code limit} of the sum (in key order), with more to follow when there were more. */
        @Override
        public GroupCounts cut(GroupCounts sum) {
            if (sum.groups().size() <= limit) {
                return sum;
            }
            return new GroupCounts(List.copyOf(sum.groups().subList(0, limit)), true, sum.missing());
        }
    }

    /** These keys ({@code null} for the devices without one): the full counts of a page's groups. */
    record Keys(Set<String> keys) implements KeySelection {
        public Keys {
            keys = Collections.unmodifiableSet(new LinkedHashSet<>(keys)); // Set.copyOf refuses null, the devices without a key
        }

        public static Keys of(Collection<GroupCount> counts) {
            Set<String> keys = new LinkedHashSet<>();
            counts.forEach(count -> keys.add(count.key()));
            return new Keys(keys);
        }

        @Override
        public GroupCount admit(GroupCount count) {
            return keys.contains(count.key()) ? count : null;
        }
    }
}
