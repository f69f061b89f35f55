package io.offlinedetector.topology;

import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.StatusChange;

/**
 * Told of the devices whose status changed or that were removed, on the stream thread: an
 * implementation only takes note and returns at once, never waiting on anything (the Alertmanager
 * client queues the ids and reads the stores later, on its own thread).
 *
 * <p>A note may come from a transaction that is later aborted; a listener takes what is true from
 * the stores, not from the note.
 */
public interface DeviceChangeListener {

    DeviceChangeListener NONE = new DeviceChangeListener() {
        @Override
        public void statusChanged(StatusChange change, int partition) {}

        @Override
        public void offlineLabelsGone(String deviceId, int partition, DeviceState whileOffline, boolean flapping) {}
    };

    /** A device's status changed, as published; its state and history are in partition {@code partition}'s stores. */
    void statusChanged(StatusChange change, int partition);

    /**
     * The labels of the device's OFFLINE episode are gone from the stores: it was removed while
     * OFFLINE, or came back under another group or device type. What its alert said is passed
     * along, since the stores no longer have it.
     *
     * @param whileOffline the device's state while it was OFFLINE
     * @param flapping     whether the device was flapping when it went OFFLINE
     */
    void offlineLabelsGone(String deviceId, int partition, DeviceState whileOffline, boolean flapping);
}
