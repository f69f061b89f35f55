package io.offlinedetector.topology;

import io.offlinedetector.domain.Status;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The OFFLINE devices of one partition, in id order, as its state store lists them ({@link IndexKeys#byStatus}). */
public final class OfflineList {

    private OfflineList() {}

    /**
     * @param states the partition's state store
     * @param after  the id to start after; {@code null} for the first
     * @return at most {@code max} ids
     */
    public static List<String> idsAfter(ReadOnlyKeyValueStore<Bytes, byte[]> states, String after, int max) {
        List<String> ids = new ArrayList<>();
        Bytes end = IndexKeys.byStatusEnd(Status.OFFLINE);
        try (KeyValueIterator<Bytes, byte[]> it = states.range(IndexKeys.byStatusAfter(Status.OFFLINE, after), end)) {
            while (it.hasNext() && ids.size() < max) {
                Bytes key = it.next().key;
                if (!key.equals(end)) { // a range includes its end; the end is never a listed device
                    ids.add(IndexKeys.byStatusDeviceId(key));
                }
            }
        }
        return ids;
    }
}
