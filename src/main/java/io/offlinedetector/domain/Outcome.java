package io.offlinedetector.domain;

/**
 * The result of applying one rule: the device's next state, and the transition it caused, if any.
 *
 * @param state  the state to store
 * @param change the event to publish, or {@code null} when the status did not change
 */
public record Outcome(DeviceState state, StatusChange change) {

    public boolean changed() {
        return change != null;
    }
}
