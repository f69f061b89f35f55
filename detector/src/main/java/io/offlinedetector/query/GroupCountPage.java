package io.offlinedetector.query;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * One page of the counts by group (or device type), in the order asked for.
 *
 * @param next    the cursor to pass as {@code after} for the next page, or {@code null} on the last page
 * @param missing the instances and partitions whose devices are not counted; empty when complete
 */
public record GroupCountPage(List<GroupCount> groups, String next, List<String> missing) {

    public GroupCountPage(List<GroupCount> groups, String next) {
        this(groups, next, List.of());
    }

    /** How a page is ordered. */
    public enum Order {
        /** By key, in UTF-8 byte order, the devices without a key first. */
        KEY((byte) 'k', GroupCount.KEY_ORDER),
        /** Worst first: the most OFFLINE devices first, ties by key. */
        OFFLINE((byte) 'o', Comparator.comparingLong(GroupCount::offline).reversed().thenComparing(GroupCount.KEY_ORDER));

        private final byte code;
        private final Comparator<GroupCount> comparator;

        Order(byte code, Comparator<GroupCount> comparator) {
            this.code = code;
            this.comparator = comparator;
        }

        Comparator<GroupCount> comparator() {
            return comparator;
        }
    }

    /** The longest {@code after} there is: a group of 128 characters, 4 UTF-8 bytes each, in base64. */
    public static final int MAX_CURSOR_CHARS = 1024;

    private static final byte NO_KEY = 0;
    private static final byte KEY = 1;

    /**
     * The page of {@code limit} counts after the cursor's place in {@code order}. Counts change as
     * devices do: a page starts after the place the cursor names, so no key is seen twice in a row
     * of pages unless its counts moved it.
     *
     * @param after a cursor from {@link #cursor}, or {@code null} for the first page
     */
    public static GroupCountPage of(List<GroupCount> all, Order order, Cursor after, int limit) {
        if (after != null && after.order != order) {
            throw new IllegalArgumentException("after is a cursor of another sort");
        }
        List<GroupCount> sorted = new ArrayList<>(all);
        sorted.sort(order.comparator);
        GroupCount place = after == null ? null : GroupCount.of(after.key, 0, after.offline);
        List<GroupCount> page = new ArrayList<>(Math.min(limit, sorted.size()));
        boolean more = false;
        for (GroupCount count : sorted) {
            if (place != null && order.comparator.compare(count, place) <= 0) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(count);
        }
        return new GroupCountPage(page, more ? cursor(order, page.get(page.size() - 1)) : null);
    }

    /** A place in an order, as {@code after} names it. */
    public record Cursor(Order order, long offline, String key) {

        /** As {@code after} and {@code next} spell it. */
        public String text() {
            return cursor(order, GroupCount.of(key, 0, offline));
        }
    }

    /** The cursor of {@code count}'s place in {@code order}: opaque, URL-safe base64. */
    static String cursor(Order order, GroupCount count) {
        byte[] key = count.key() == null ? new byte[0] : count.key().getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(1 + (order == Order.OFFLINE ? Long.BYTES : 0) + 1 + key.length).put(order.code);
        if (order == Order.OFFLINE) {
            bytes.putLong(count.offline());
        }
        bytes.put(count.key() == null ? NO_KEY : KEY).put(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /**
     * The place {@code after} names in {@code order}.
     *
     * @throws IllegalArgumentException when it is not a cursor of that order, with a reason to show
     */
    public static Cursor parse(String after, Order order) {
        if (after.length() > MAX_CURSOR_CHARS) {
            throw new IllegalArgumentException("after is not a cursor: longer than " + MAX_CURSOR_CHARS + " characters");
        }
        ByteBuffer bytes;
        try {
            bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(after));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("after is not a cursor: pass the next of the previous page");
        }
        if (!bytes.hasRemaining() || bytes.get() != order.code) {
            throw new IllegalArgumentException("after is not a cursor of this sort: pass the next of the previous page");
        }
        if (order == Order.OFFLINE && bytes.remaining() < Long.BYTES) {
            throw new IllegalArgumentException("after is not a cursor: pass the next of the previous page");
        }
        long offline = order == Order.OFFLINE ? bytes.getLong() : 0;
        if (!bytes.hasRemaining()) {
            throw new IllegalArgumentException("after is not a cursor: pass the next of the previous page");
        }
        byte marker = bytes.get();
        if (marker == NO_KEY && !bytes.hasRemaining()) {
            return new Cursor(order, offline, null);
        }
        if (marker != KEY) {
            throw new IllegalArgumentException("after is not a cursor: pass the next of the previous page");
        }
        try {
            return new Cursor(order, offline, StandardCharsets.UTF_8.newDecoder().decode(bytes).toString());
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("after is not a cursor: its key is not UTF-8");
        }
    }
}
