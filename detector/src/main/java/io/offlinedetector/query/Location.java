package io.offlinedetector.query;

import java.util.List;

/**
 * Where a device's state lives right now, as the group's metadata has it: here, on another
 * instance, or nowhere that can answer (the group is rebalancing).
 */
public sealed interface Location {

    /**
     * The active task of the device's predicted partition is on this instance.
     *
     * @param standbys the URLs of the instances with a standby copy
     */
    record Local(int partition, List<String> standbys) implements Location {}

    /** The active task is on the instance at {@code url}. */
    record Remote(String url, int partition, List<String> standbys) implements Location {}

    record Unavailable(String reason) implements Location {}
}
