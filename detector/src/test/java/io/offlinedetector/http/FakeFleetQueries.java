package io.offlinedetector.http;

import io.offlinedetector.domain.Status;
import io.offlinedetector.query.DeviceAnswer;
import io.offlinedetector.query.DevicePage;
import io.offlinedetector.query.DeviceView;
import io.offlinedetector.query.FleetQueries;
import io.offlinedetector.query.FleetStats;
import io.offlinedetector.query.InstanceView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory query side for the HTTP tests: it keeps devices in a sorted map, remembers what it
 * was asked, and can be told to be unavailable, not ready, dead or broken.
 */
final class FakeFleetQueries implements FleetQueries {

    /** The arguments of one {@link #devices} call. */
    record DevicesCall(Status status, String after, int limit) {}

    static final String SELF = "http://127.0.0.1:18080";

    private final Map<String, DeviceView> devices = new ConcurrentSkipListMap<>();
    final List<String> askedIds = new CopyOnWriteArrayList<>();
    final List<DevicesCall> devicesCalls = new CopyOnWriteArrayList<>();

    /** When set, every device question is answered with it. */
    volatile DeviceAnswer.Unavailable unavailable;
    /** When set, every question throws it. */
    volatile RuntimeException failure;
    /** The instances that "did not answer" lists and counts. */
    volatile List<String> missing = List.of();
    volatile boolean ready = true;
    volatile boolean live = true;
    volatile List<InstanceView> instances = List.of(
            new InstanceView(SELF, true, List.of(0, 2), List.of(1)),
            new InstanceView("http://127.0.0.1:18081", false, List.of(1), List.of(0, 2)));

    FakeFleetQueries add(DeviceView device) {
        devices.put(device.deviceId(), device);
        return this;
    }

    static DeviceView device(String id, Status status) {
        return new DeviceView(id, status.name(), "2026-11-21T20:00:00Z", "2026-11-21T19:00:00Z", 600_000, "thermostat", 3);
    }

    @Override
    public DeviceAnswer device(String deviceId, boolean allowStale) {
        failIfBroken();
        askedIds.add(deviceId);
        if (unavailable != null) {
            return unavailable;
        }
        DeviceView device = devices.get(deviceId);
        return device == null ? new DeviceAnswer.NotFound(deviceId) : new DeviceAnswer.Found(device, SELF);
    }

    @Override
    public DevicePage devices(Status status, String after, int limit) {
        failIfBroken();
        devicesCalls.add(new DevicesCall(status, after, limit));
        List<DeviceView> matching = new ArrayList<>();
        for (DeviceView device : devices.values()) {
            if ((after == null || device.deviceId().compareTo(after) > 0)
                    && (status == null || device.status().equals(status.name()))) {
                matching.add(device);
            }
        }
        List<DeviceView> page = matching.subList(0, Math.min(limit, matching.size()));
        String next = matching.size() > limit ? page.get(page.size() - 1).deviceId() : null;
        return new DevicePage(List.copyOf(page), next, missing);
    }

    @Override
    public FleetStats stats() {
        failIfBroken();
        long online = devices.values().stream().filter(d -> d.status().equals("ONLINE")).count();
        long offline = devices.values().stream().filter(d -> d.status().equals("OFFLINE")).count();
        return new FleetStats(online + offline, online, offline, missing);
    }

    @Override
    public List<InstanceView> instances() {
        failIfBroken();
        return instances;
    }

    @Override
    public boolean ready() {
        failIfBroken();
        return ready;
    }

    @Override
    public boolean live() {
        failIfBroken();
        return live;
    }

    private void failIfBroken() {
        RuntimeException toThrow = failure;
        if (toThrow != null) {
            throw toThrow;
        }
    }
}
