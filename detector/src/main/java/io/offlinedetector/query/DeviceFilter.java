package io.offlinedetector.query;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Status;

/**
 * Which devices {@code GET /devices} lists: each part optional, all of them together. An empty
 * device type or group is no filter, as an absent one (there is no filter for "without a group").
 *
 * @param status     only devices with this status, or any when {@code null}
 * @param deviceType only devices of this type, or any when {@code null}
 * @param group      only devices of this group, or any when {@code null}
 */
public record DeviceFilter(Status status, String deviceType, String group) {

    /** Every device. */
    public static final DeviceFilter NONE = new DeviceFilter(null, null, null);

    public DeviceFilter {
        deviceType = deviceType == null || deviceType.isEmpty() ? null : deviceType;
        group = group == null || group.isEmpty() ? null : group;
    }

    /** Only by status: what {@code GET /devices?status=} asked before the filters by key. */
    public static DeviceFilter status(Status status) {
        return new DeviceFilter(status, null, null);
    }

    /** The group (or device type) asked for, or {@code null} when none is. */
    public String key(CountKind kind) {
        return kind == CountKind.GROUP ? group : deviceType;
    }

    /** Whether a group or a device type is asked for. */
    public boolean byKey() {
        return deviceType != null || group != null;
    }

    public boolean matches(DeviceState state) {
        return matches(state.status().name(), state.deviceType(), state.group());
    }

    public boolean matches(DeviceView device) {
        return matches(device.status(), device.deviceType(), device.group());
    }

    private boolean matches(String status, String deviceType, String group) {
        return (this.status == null || this.status.name().equals(status))
                && (this.deviceType == null || this.deviceType.equals(deviceType))
                && (this.group == null || this.group.equals(group));
    }
}
