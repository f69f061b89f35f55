package io.offlinedetector.query;

import java.util.List;

/** The group's metadata as routing needs it: who owns a device, and who is in the group. */
public interface Locator {

    /** This instance's URL. */
    String self();

    /** Where the device's predicted partition is processed. */
    Location locate(String deviceId);

    /** The URLs of every instance in the group, this one included, in a stable order. */
    List<String> instances();

    /** Partitions that no instance processes right now, described for a {@code missing} list. */
    List<String> unassignedPartitions();
}
