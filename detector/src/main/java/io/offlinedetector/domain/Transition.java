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
}
