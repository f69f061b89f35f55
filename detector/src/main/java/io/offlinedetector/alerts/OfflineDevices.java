package io.offlinedetector.alerts;

import java.util.List;
import java.util.Set;

/**
 * What the alert sender reads from this instance's stores: the truth about a device, never a note
 * of what happened to it. Every read may fail with
 * {@link org.apache.kafka.streams.errors.InvalidStateStoreException} while a partition moves.
 */
interface OfflineDevices {

    /** The partitions this instance processes now, whose devices it sends alerts for. */
    Set<Integer> activePartitions();

    /**
     * What to tell Alertmanager about the device now: its firing alert when it is OFFLINE, the end
     * of its last OFFLINE's alert when it is ONLINE (at {@code now}), or {@code null} when there is
     * nothing to say (unknown, or never OFFLINE as far as its history goes).
     */
    DeviceAlert alert(String deviceId, int partition, long now);

    /** The OFFLINE devices of the partition after {@code after} (or from the first, when null), in id order, at most {@code max}. */
    List<String> offlineIds(int partition, String after, int max);
}
