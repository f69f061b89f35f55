package io.offlinedetector.query;

import io.offlinedetector.query.GroupCountPage.Cursor;
import io.offlinedetector.query.GroupCountPage.Order;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Puts a page of {@code GET /stats?by=} together from counts that each instance keeps per key for
 * its own partitions, asking every instance only for what the page needs: a group's devices may be
 * on every partition, so only sums across all of them are exact, and a page must not cost every
 * group's counts from every instance.
 *
 * <ul>
 *   <li>By key: the first {@code limit} keys after the cursor from each ({@link KeySelection.After}).
 *   <li>Worst first: first the keys with OFFLINE devices, counting only those, which the OFFLINE
 *       lists give; their order is exact, as no other device counts towards it. Then the full counts
 *       of the page's keys. When the page has room left, the keys without OFFLINE devices follow in
 *       key order, as many more keys asked for as there are keys with OFFLINE devices after the place,
 *       which are left out.
 * </ul>
 */
final class GroupCountPaging {

    private GroupCountPaging() {}

    /** @param counts the counts a selection picks, summed over every instance that is asked */
    static GroupCountPage page(Function<KeySelection, GroupCounts> counts, Order order, Cursor after, int limit) {
        return order == Order.KEY ? byKey(counts, after, limit) : worstFirst(counts, after, limit);
    }

    private static GroupCountPage byKey(Function<KeySelection, GroupCounts> counts, Cursor after, int limit) {
        GroupCounts page = counts.apply(new KeySelection.After(after, limit));
        String next = page.more() && !page.groups().isEmpty() ? GroupCountPage.cursor(Order.KEY, last(page.groups())) : null;
        return new GroupCountPage(page.groups(), next, page.missing());
    }

    private static GroupCountPage worstFirst(Function<KeySelection, GroupCounts> counts, Cursor after, int limit) {
        GroupCounts offline = counts.apply(KeySelection.OFFLINE_DEVICES);
        List<String> missing = new ArrayList<>(offline.missing());
        GroupCountPage worst = GroupCountPage.of(offline.groups(), Order.OFFLINE, after, limit);
        List<GroupCount> page = new ArrayList<>();
        if (!worst.groups().isEmpty()) {
            GroupCounts full = counts.apply(KeySelection.Keys.of(worst.groups()));
            missing.addAll(full.missing());
            page.addAll(full.groups());
            page.sort(Order.OFFLINE.comparator()); // counts move: as they are now
        }
        if (worst.next() != null || page.size() == limit) {
            String next = page.isEmpty() ? worst.next() : GroupCountPage.cursor(Order.OFFLINE, last(page));
            return new GroupCountPage(page, next, distinct(missing));
        }
        // Past the keys with OFFLINE devices: the others, by key, after the cursor's key if it was among them.
        Cursor calmAfter = after != null && after.offline() == 0 ? new Cursor(Order.KEY, 0, after.key()) : null;
        Set<String> worstKeys = KeySelection.Keys.of(offline.groups()).keys();
        long worstAhead = calmAfter == null ? worstKeys.size()
                : worstKeys.stream().filter(key -> GroupCount.KEYS.compare(key, calmAfter.key()) > 0).count();
        int room = limit - page.size();
        GroupCounts rest = counts.apply(new KeySelection.After(calmAfter, (int) Math.min(Integer.MAX_VALUE, room + worstAhead)));
        missing.addAll(rest.missing());
        List<GroupCount> calm = rest.groups().stream().filter(count -> !worstKeys.contains(count.key())).toList();
        page.addAll(calm.subList(0, Math.min(room, calm.size())));
        boolean more = calm.size() > room || rest.more();
        // A key without OFFLINE devices has its place among those: after any with some.
        String next = more && !page.isEmpty() ? GroupCountPage.cursor(Order.OFFLINE, GroupCount.of(last(page).key(), 0, 0)) : null;
        return new GroupCountPage(page, next, distinct(missing));
    }

    private static GroupCount last(List<GroupCount> counts) {
        return counts.get(counts.size() - 1);
    }

    private static List<String> distinct(List<String> missing) {
        return missing.stream().distinct().toList();
    }
}
