package io.offlinedetector.domain;

import java.util.List;

/**
 * When a device is flapping: it changed status at least {@code transitions} times within the last
 * {@code windowMs}. A device's first transition, when it appears, is no flap and does not count.
 * Pure: the transitions and the time are passed in.
 *
 * @param transitions changes within the window that make a device flapping; at least 2
 * @param windowMs    the window, in millis
 */
public record FlappingPolicy(int transitions, long windowMs) {

    /** Six changes (three trips offline and back) within an hour. */
    public static final FlappingPolicy DEFAULT = new FlappingPolicy(6, 3_600_000);

    public FlappingPolicy {
        if (transitions < 2 || windowMs <= 0) {
            throw new IllegalArgumentException("flapping needs at least 2 transitions in a positive window, not "
                    + transitions + " in " + windowMs + " ms");
        }
    }

    /**
     * Whether the device is flapping at {@code at}, judged by its newest transitions: at least
     * {@link #transitions} of those changed at or before {@code at} changed within the window that
     * ends there. The caller reads only the newest {@link #transitions} (the decision needs no more).
     *
     * @param newestFirst the device's newest transitions, newest first
     */
    public boolean flappingAt(List<Transition> newestFirst, long at) {
        int within = 0;
        for (Transition transition : newestFirst) {
            if (transition.changedAt() <= at && transition.changedAt() > at - windowMs && transition.previousStatus() != Status.UNKNOWN) {
                within++;
            }
        }
        return within >= transitions;
    }

    /**
     * Whether a device was flapping when it last went OFFLINE: the flag of that OFFLINE episode,
     * which its alert carries from start to end, so that a resolve matches the alert it resolves.
     * False when none of the transitions is an OFFLINE one.
     *
     * @param newestFirst the device's newest transitions, newest first: {@link #transitions} + 1 of
     *                    them cover an OFFLINE followed by one ONLINE
     */
    public boolean flappingWhenLastOffline(List<Transition> newestFirst) {
        for (int i = 0; i < newestFirst.size(); i++) {
            Transition transition = newestFirst.get(i);
            if (transition.status() == Status.OFFLINE) {
                return flappingAt(newestFirst.subList(i, newestFirst.size()), transition.changedAt());
            }
        }
        return false;
    }
}
