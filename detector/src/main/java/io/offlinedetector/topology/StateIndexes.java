package io.offlinedetector.topology;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Status;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;

/**
 * The index entries a device's state implies ({@link IndexKeys}, state store): its timer filing,
 * its entry in the OFFLINE list, its entries in its group's and its device type's lists, and the
 * counts it adds to (its status's, its group's and its type's). Pure: {@link DeviceStateStore}
 * writes the difference between a device's entries before and after each change.
 *
 * <p>ONLINE devices are counted but not listed: most of a fleet is online, so their list is read
 * from the states in id order. Devices without a group (or type) are counted under a key of their
 * own but not listed: there is no filter for them.
 */
final class StateIndexes {

    private static final CountKind[] KINDS = CountKind.values();

    private StateIndexes() {}

    /** The keys of the entries (each worth {@code PRESENT}) the state implies besides its counts. */
    static List<Bytes> entries(String deviceId, DeviceState state) {
        List<Bytes> entries = new ArrayList<>(4);
        if (state.hasTimer()) {
            entries.add(IndexKeys.timer(state.timerAt(), deviceId));
        }
        if (state.status() == Status.OFFLINE) {
            entries.add(IndexKeys.byStatus(Status.OFFLINE, deviceId));
        }
        for (CountKind kind : KINDS) {
            String key = kind.keyOf(state);
            if (key != null) {
                entries.add(IndexKeys.keyed(kind, key, deviceId));
            }
        }
        return entries;
    }

    /** Adds the state's counts to {@code counts}, once ({@code sign} 1) or taken away ({@code sign} -1). */
    static void count(DeviceState state, int sign, Counts counts) {
        counts.add(IndexKeys.count(state.status()), sign);
        for (CountKind kind : KINDS) {
            Bytes key = IndexKeys.keyCount(kind, kind.keyOf(state));
            if (state.status() == Status.ONLINE) {
                counts.addOnline(key, sign);
            } else {
                counts.addOffline(key, sign);
            }
        }
    }

    /** Where the counts go: the store keeps them in step with the states. */
    interface Counts {

        /** A status count ({@link IndexKeys#count}). */
        void add(Bytes statusCount, long delta);

        /** The online half of a count by key ({@link IndexKeys#keyCount}). */
        void addOnline(Bytes keyCount, long delta);

        /** The offline half of a count by key. */
        void addOffline(Bytes keyCount, long delta);
    }
}
