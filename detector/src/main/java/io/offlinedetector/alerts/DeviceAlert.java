package io.offlinedetector.alerts;

import io.offlinedetector.domain.DeviceState;

/**
 * One device's {@code DeviceOffline} alert, firing or resolved, as Alertmanager identifies it: by
 * its labels (device, device type, group, flapping), which must be the same on the resolve as on
 * the alert it ends. Times are epoch millis.
 *
 * @param deviceType   the device's type, or {@code null}: no {@code device_type} label
 * @param group        the device's group, or {@code null}: no {@code group} label
 * @param flapping     whether the device was flapping when it went OFFLINE; kept for the episode
 * @param offlineSince when the device went OFFLINE, the {@code changedAt} of that transition: the
 *                     alert's {@code startsAt}
 * @param resolvedAt   when the alert ended (the device came back or was removed), or
 *                     {@link #FIRING}
 */
public record DeviceAlert(String deviceId, String deviceType, String group, boolean flapping, long lastSeen, long offlineSince,
        long resolvedAt) {

    public static final long FIRING = -1;

    /** The alert of a device that is OFFLINE now. */
    static DeviceAlert firing(String deviceId, DeviceState offline, boolean flapping) {
        return new DeviceAlert(deviceId, offline.deviceType(), offline.group(), flapping, offline.lastSeen(), offline.since(), FIRING);
    }

    /** The end, at {@code at}, of the alert of a device that was OFFLINE in {@code offline}. */
    static DeviceAlert resolved(String deviceId, DeviceState offline, boolean flapping, long at) {
        return new DeviceAlert(deviceId, offline.deviceType(), offline.group(), flapping, offline.lastSeen(), offline.since(),
                Math.max(at, offline.since()));
    }

    public boolean isFiring() {
        return resolvedAt == FIRING;
    }
}
