package io.offlinedetector.topology;

import io.offlinedetector.domain.DeviceState;

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
        public void statusChanged(String deviceId, int partition) {}

        @Override
        public void removedWhileOffline(String deviceId, int partition, DeviceState last, boolean flapping) {}
    };

    /** The device's status changed; its state and history in partition {@code partition}'s stores say to what. */
    void statusChanged(String deviceId, int partition);

    /**
     * The device was removed while OFFLINE, with its state and history: what its alert said is
     * passed along, since the stores no longer have it.
     *
     * @param flapping whether the device was flapping when it went OFFLINE
     */
    void removedWhileOffline(String deviceId, int partition, DeviceState last, boolean flapping);
}
