package io.offlinedetector.domain;

/**
 * One of a device's kept transitions: what its history remembers of a {@link StatusChange}. Times
 * are epoch millis.
 *
 * @param changedAt when the new status began, as in {@link StatusChange#changedAt()}
 * @param sequence  the transition's number; the device's first is 1
 */
public record Transition(Status status, Status previousStatus, long changedAt, Reason reason, long sequence) {

    public static Transition of(StatusChange change) {
        return new Transition(change.status(), change.previousStatus(), change.changedAt(), change.reason(), change.sequence());
    }

    /**
     * The transition that gave the device its current status, read from its state: the state keeps
     * its status, since when ({@code changedAt}) and its sequence, and the rules allow one way into
     * each status after the first heartbeat.
     */
    public static Transition latestOf(DeviceState state) {
        if (state.sequence() == 1) {
            return new Transition(state.status(), Status.UNKNOWN, state.since(), Reason.FIRST_HEARTBEAT, 1);
        }
        return state.status() == Status.ONLINE
                ? new Transition(Status.ONLINE, Status.OFFLINE, state.since(), Reason.HEARTBEAT_RESUMED, state.sequence())
                : new Transition(Status.OFFLINE, Status.ONLINE, state.since(), Reason.TIMEOUT, state.sequence());
    }
}
