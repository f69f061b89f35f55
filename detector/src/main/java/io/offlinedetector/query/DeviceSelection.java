package io.offlinedetector.query;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Status;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * How one partition finds the devices a {@link DeviceFilter} asks for, in id order: which list it
 * reads, and which of the devices read match. The smallest list that holds every match is read
 * (chosen by the counts the partition keeps), so a filter by group or device type reads about as
 * many devices as have that key, never the fleet.
 */
final class DeviceSelection {

    /** A list of the partition's devices, in id order. */
    enum Source {
        /** Every device state: without a group or type, and without {@code status=OFFLINE}. */
        ALL,
        /** The OFFLINE devices ({@code topology.StateIndexes}). */
        OFFLINE,
        /** The group's devices ({@code topology.StateIndexes}). */
        GROUP,
        /** The device type's devices ({@code topology.StateIndexes}). */
        DEVICE_TYPE;

        /** The kind of key this list is by, or {@code null}. */
        CountKind kind() {
            return this == GROUP ? CountKind.GROUP : this == DEVICE_TYPE ? CountKind.DEVICE_TYPE : null;
        }

        static Source of(CountKind kind) {
            return kind == CountKind.GROUP ? GROUP : DEVICE_TYPE;
        }
    }

    private DeviceSelection() {}

    /**
     * @param devicesWith how many devices of the partition have the filter's group (or device type):
     *     online and offline, as the state store counts them ({@code topology.StateIndexes}); asked only for the kinds filtered by
     * @param offline     how many of the partition's devices are OFFLINE; asked only for {@code status=OFFLINE}
     * @return the smallest list that holds every device the filter matches; ties go to the group
     */
    static Source source(DeviceFilter filter, ToLongFunction<CountKind> devicesWith, LongSupplier offline) {
        Source best = filter.status() == Status.OFFLINE ? Source.OFFLINE : Source.ALL;
        if (!filter.byKey()) {
            return best;
        }
        long bestSize = best == Source.OFFLINE ? offline.getAsLong() : Long.MAX_VALUE;
        for (CountKind kind : new CountKind[] {CountKind.GROUP, CountKind.DEVICE_TYPE}) {
            if (filter.key(kind) != null) {
                long size = devicesWith.applyAsLong(kind);
                if (size < bestSize || (size == bestSize && best != Source.GROUP && best != Source.DEVICE_TYPE)) {
                    best = Source.of(kind);
                    bestSize = size;
                }
            }
        }
        return best;
    }

    /**
     * The first {@code max} ids of {@code candidates} whose device matches the filter: the rest of
     * the filter is checked against each candidate's state (one read each), and a candidate whose
     * state is gone is left out.
     *
     * @param candidates ids in id order, all after the page's {@code after}
     */
    static List<String> matching(Iterator<String> candidates, Function<String, DeviceState> states, DeviceFilter filter, int max) {
        List<String> ids = new ArrayList<>();
        while (ids.size() < max && candidates.hasNext()) {
            String id = candidates.next();
            DeviceState state = states.apply(id);
            if (state != null && filter.matches(state)) {
                ids.add(id);
            }
        }
        return ids;
    }
}
