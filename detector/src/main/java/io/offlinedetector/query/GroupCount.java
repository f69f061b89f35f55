package io.offlinedetector.query;

import java.util.Comparator;

/**
 * How many devices of one group (or device type) there are, online and offline. The components are
 * in the order of the answer's fields.
 *
 * @param key the group (or device type), or {@code null} for the devices that never named one
 */
public record GroupCount(String key, long total, long online, long offline) {

    /** Keys in UTF-8 byte order, {@code null} (no key) first: the order the state store keeps them in. */
    public static final Comparator<String> KEYS = Comparator.nullsFirst(DeviceIdOrder.UTF8);
    /** Counts in the order of their keys. */
    public static final Comparator<GroupCount> KEY_ORDER = Comparator.comparing(GroupCount::key, KEYS);

    public static GroupCount of(String key, long online, long offline) {
        return new GroupCount(key, online + offline, online, offline);
    }
}
