package io.offlinedetector.topology;

import io.offlinedetector.domain.Status;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The entries versions before kept in the index store for what the state store now derives itself
 * ({@link IndexKeys#LEGACY_RANGES}): the timers, the OFFLINE list, the counts and the lists by key.
 * Nothing reads them any more; a task deletes them once, so that they leave the store and, through
 * its changelog's compaction, the topic.
 */
final class LegacyIndexEntries {

    /** Keys deleted per pass; each pass closes its iterator before it deletes. */
    private static final int BATCH = 10_000;

    /** Where versions before counted the online and the offline devices, and marked their lists by key complete. */
    private static final List<Bytes> MARKS = List.of(
            Bytes.wrap(new byte[] {'C', Status.ONLINE.code()}),
            Bytes.wrap(new byte[] {'C', Status.OFFLINE.code()}),
            Bytes.wrap(new byte[] {'G', 'd'}));

    private LegacyIndexEntries() {}

    /**
     * Deletes them if the store has any. Versions before marked their lists by key complete when a
     * task started, and kept a count per status once a device had been seen: these keys say whether
     * there is anything to delete, without a range read at every start.
     */
    static void dropFrom(KeyValueStore<Bytes, byte[]> index) {
        if (MARKS.stream().allMatch(mark -> index.get(mark) == null)) {
            return;
        }
        for (Bytes[] range : IndexKeys.LEGACY_RANGES) {
            Bytes from = range[0];
            List<Bytes> keys;
            do {
                keys = new ArrayList<>();
                try (KeyValueIterator<Bytes, byte[]> it = index.range(from, range[1])) {
                    while (it.hasNext() && keys.size() < BATCH) {
                        keys.add(it.next().key);
                    }
                }
                keys.forEach(index::delete);
                if (!keys.isEmpty()) {
                    from = IndexKeys.after(keys.get(keys.size() - 1));
                }
            } while (keys.size() == BATCH);
        }
    }

}
