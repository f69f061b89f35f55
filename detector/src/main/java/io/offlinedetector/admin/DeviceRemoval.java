package io.offlinedetector.admin;

/** Removes a device's state everywhere. */
public interface DeviceRemoval {

    /**
     * Requests the removal; returns once the request is durably in Kafka. The owning instance
     * applies it shortly after and publishes a tombstone for the device on {@code device-status}.
     *
     * @throws IllegalStateException when the request could not be written
     */
    void requestRemoval(String deviceId);
}
