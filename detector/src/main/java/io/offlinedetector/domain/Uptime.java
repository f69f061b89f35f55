package io.offlinedetector.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How long a device was ONLINE, from its kept transitions and its current state: pure arithmetic,
 * with the time passed in.
 *
 * <p>The share of a window is counted over the part of it the detector knows: from the window's
 * start, or from the oldest known transition when that is later. For a device whose first
 * transition (sequence 1) is known, that is when it was first seen. When the kept transitions do not
 * reach back that far (older ones were trimmed, or kept by a version without history), the share is
 * of the time they cover, and {@link #complete} says so.
 */
public final class Uptime {

    /** The longest window the API reports; {@link #complete} is about this one. */
    public static final long WEEK_MS = 7L * 24 * 3_600_000;
    public static final long DAY_MS = 24L * 3_600_000;

    private Uptime() {}

    /**
     * The share of {@code [now - windowMs, now]} the device was ONLINE, from 0.0 to 1.0.
     *
     * @param kept    the device's kept transitions, in any order (the current one may be among them)
     * @param current the device's state now: its status holds from {@code since} to {@code now}
     */
    public static double share(List<Transition> kept, DeviceState current, long now, long windowMs) {
        List<Transition> known = known(kept, current);
        long from = Math.max(now - windowMs, known.get(0).changedAt());
        if (from >= now) {
            // Just seen (or stamped a little ahead of this clock): all there is, is the current status.
            return current.status() == Status.ONLINE ? 1.0 : 0.0;
        }
        long online = 0;
        for (int i = 0; i < known.size(); i++) {
            Transition t = known.get(i);
            if (t.status() != Status.ONLINE) {
                continue;
            }
            long start = Math.max(t.changedAt(), from);
            long end = Math.min(i + 1 < known.size() ? known.get(i + 1).changedAt() : now, now);
            online += Math.max(0, end - start);
        }
        return Math.min(1.0, (double) online / (now - from));
    }

    /**
     * Whether the known transitions reach back over the {@link #WEEK_MS} window: the oldest is the
     * device's first, or at least a week old.
     */
    public static boolean complete(List<Transition> kept, DeviceState current, long now) {
        Transition oldest = known(kept, current).get(0);
        return oldest.sequence() == 1 || oldest.changedAt() <= now - WEEK_MS;
    }

    /**
     * The kept transitions, oldest first, and the current status's, when they do not hold it: a
     * device adopted or kept by a version without history still knows its status since {@code since}.
     */
    private static List<Transition> known(List<Transition> kept, DeviceState current) {
        List<Transition> known = new ArrayList<>(kept);
        known.sort(Comparator.comparingLong(Transition::sequence));
        if (known.isEmpty() || known.get(known.size() - 1).sequence() < current.sequence()) {
            known.add(new Transition(current.status(), Status.UNKNOWN, current.since(), null, current.sequence()));
        }
        return known;
    }
}
