package io.offlinedetector.query;

import io.offlinedetector.domain.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One instance's own stores, in memory, for routing tests: devices in UTF-8 id order, and a record
 * of the ids it was asked for. It answers local-only questions, as a real instance's stores do.
 */
final class InMemoryFleet implements FleetQueries {

    private final String url;
    private final Map<String, DeviceView> devices = new ConcurrentSkipListMap<>(DeviceIdOrder.UTF8);
    final List<String> asked = new CopyOnWriteArrayList<>();
    volatile boolean migrating;
    /** The partitions this instance processes; {@code null}: every one. */
    volatile java.util.Set<Integer> partitions;

    InMemoryFleet(String url) {
        this.url = url;
    }

    String url() {
        return url;
    }

    InMemoryFleet add(String... ids) {
        for (String id : ids) {
            devices.put(id, new DeviceView(id, "ONLINE", "2026-11-21T20:00:00Z", "2026-11-21T20:00:00Z", 60_000, null, 1));
        }
        return this;
    }

    @Override
    public DeviceAnswer device(String deviceId, boolean allowStale) {
        asked.add(deviceId);
        if (migrating && !allowStale) {
            return new DeviceAnswer.Unavailable("restoring", 1);
        }
        DeviceView device = devices.get(deviceId);
        return device == null ? new DeviceAnswer.NotFound(deviceId) : new DeviceAnswer.Found(device, url);
    }

    @Override
    public DeviceAnswer deviceAsOwner(String deviceId, boolean allowStale, int partition) {
        if (partitions != null && !partitions.contains(partition)) {
            return new DeviceAnswer.Unavailable("partition " + partition + " not here yet", 1);
        }
        return device(deviceId, allowStale);
    }

    @Override
    public DevicePage devices(Status status, String after, int limit) {
        List<DeviceView> page = new ArrayList<>();
        boolean more = false;
        for (DeviceView device : devices.values()) {
            if (after != null && DeviceIdOrder.UTF8.compare(device.deviceId(), after) <= 0) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(device);
        }
        return new DevicePage(page, more ? page.get(page.size() - 1).deviceId() : null, List.of());
    }

    @Override
    public FleetStats stats() {
        return new FleetStats(devices.size(), devices.size(), 0, List.of());
    }

    @Override
    public List<InstanceView> instances() {
        return List.of();
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public boolean live() {
        return true;
    }
}
