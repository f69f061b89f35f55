package io.offlinedetector.domain;

/**
 * The result of applying one rule: the device's next state, and the transition it caused, if any.
 *
 * @param state  the state to store, or {@code null} when the device is to be removed
 * @param change the event to publish, or {@code null} when the status did not change
 */
public record Outcome(DeviceState state, StatusChange change) {

    /** The device is forgotten: its state and index entries go, and a tombstone is published. */
    public static Outcome removed() {
        return new Outcome(null, null);
    }

    public boolean removes() {
        return state == null;
    }

    public boolean changed() {
        return change != null;
    }
}
