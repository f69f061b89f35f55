package io.offlinedetector.testing;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.Status;
import io.offlinedetector.query.DeviceAnswer;
import io.offlinedetector.query.DeviceFilter;
import io.offlinedetector.query.DeviceIdOrder;
import io.offlinedetector.query.DevicePage;
import io.offlinedetector.query.DeviceView;
import io.offlinedetector.query.FleetQueries;
import io.offlinedetector.query.FleetStats;
import io.offlinedetector.query.GroupCounts;
import io.offlinedetector.query.HistoryAnswer;
import io.offlinedetector.query.HistoryView;
import io.offlinedetector.query.InstanceView;
import io.offlinedetector.query.KeySelection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The one fake query side of the tests: one instance's devices in memory, in the UTF-8 id order the
 * real stores keep, a record of every question, and switches that make it answer as an instance
 * does that is restoring, moving a partition, not ready, dead or broken.
 */
public final class FakeFleet implements FleetQueries {

    /** The arguments of one {@link #devices} call. */
    public record DevicesCall(DeviceFilter filter, String after, int limit) {
        /** A call filtered by status only, or not at all. */
        public DevicesCall(Status status, String after, int limit) {
            this(DeviceFilter.status(status), after, limit);
        }
    }

    public static final String SELF = "http://127.0.0.1:18080";

    private final String url;
    private final Map<String, DeviceView> devices = new ConcurrentSkipListMap<>(DeviceIdOrder.UTF8);
    /** Histories set by {@link #history(HistoryView)}; a device without one has {@link #history(String)}'s. */
    private final Map<String, HistoryView> histories = new ConcurrentSkipListMap<>(DeviceIdOrder.UTF8);
    /**
     * Every question, in words: "device d1", "stale device d1", "owner of 7: device d1", "history d1 (limit 50)",
     * "owner of 7: history d1 (limit 50)", "devices", "stats", "counts by group" (every key), "counts by group: " and the
     * {@link KeySelection} otherwise.
     */
    public final List<String> calls = new CopyOnWriteArrayList<>();
    /** The ids of every device and history question. */
    public final List<String> askedIds = new CopyOnWriteArrayList<>();
    public final List<DevicesCall> devicesCalls = new CopyOnWriteArrayList<>();

    /** When set, every device question is answered with it. */
    public volatile DeviceAnswer answer;
    /** When set, every history question is answered with it. */
    public volatile HistoryAnswer historyAnswer;
    /** Restoring: device questions are unavailable unless a stale copy will do. */
    public volatile boolean migrating;
    /** The partitions this instance processes; {@code null}: every one. */
    public volatile Set<Integer> partitions;
    /** When set, every question throws it. */
    public volatile RuntimeException failure;
    /** The instances that "did not answer" lists and counts. */
    public volatile List<String> missing = List.of();
    public volatile boolean ready = true;
    public volatile boolean live = true;
    public volatile List<InstanceView> instances = List.of(
            new InstanceView(SELF, true, List.of(0, 2), List.of(1)),
            new InstanceView("http://127.0.0.1:18081", false, List.of(1), List.of(0, 2)));
    /** What {@link #localOnly()} answers with; this fake itself unless set. */
    public volatile FleetQueries localOnly = this;

    public FakeFleet() {
        this(SELF);
    }

    public FakeFleet(String url) {
        this.url = url;
    }

    public String url() {
        return url;
    }

    public FakeFleet add(DeviceView... views) {
        for (DeviceView view : views) {
            devices.put(view.deviceId(), view);
        }
        return this;
    }

    /** Online devices with these ids. */
    public FakeFleet add(String... ids) {
        for (String id : ids) {
            add(device(id, Status.ONLINE));
        }
        return this;
    }

    /** Sets the history of a device this fleet knows (added with {@link #add}). */
    public FakeFleet history(HistoryView history) {
        histories.put(history.deviceId(), history);
        return this;
    }

    /**
     * The history of a device added as {@link #device(String, Status)} has it, ONLINE again since
     * 19:00 (its third transition), after an hour OFFLINE.
     */
    public static HistoryView history(String id) {
        return new HistoryView(id, List.of(
                new HistoryView.TransitionView("ONLINE", "OFFLINE", "2026-11-21T19:00:00Z", "HEARTBEAT_RESUMED", 3),
                new HistoryView.TransitionView("OFFLINE", "ONLINE", "2026-11-21T18:00:00Z", "TIMEOUT", 2),
                new HistoryView.TransitionView("ONLINE", "UNKNOWN", "2026-11-21T17:00:00Z", "FIRST_HEARTBEAT", 1)),
                new HistoryView.UptimeView(0.75, 0.75), true);
    }

    public static DeviceView device(String id, Status status) {
        return device(id, status, "thermostat", "site-7");
    }

    /** @param deviceType and @param group may be null, for a device that never named one */
    public static DeviceView device(String id, Status status, String deviceType, String group) {
        return new DeviceView(id, status.name(), "2026-11-21T20:00:00Z", "2026-11-21T19:00:00Z", 600_000, deviceType, group, false, 3);
    }

    @Override
    public DeviceAnswer device(String deviceId, boolean allowStale) {
        failIfBroken();
        calls.add((allowStale ? "stale " : "") + "device " + deviceId);
        return lookUp(deviceId, allowStale);
    }

    @Override
    public DeviceAnswer deviceAsOwner(String deviceId, boolean allowStale, int partition) {
        failIfBroken();
        if (partitions != null && !partitions.contains(partition)) {
            return new DeviceAnswer.Unavailable("partition " + partition + " not here yet", 1);
        }
        calls.add("owner of " + partition + ": device " + deviceId);
        return lookUp(deviceId, allowStale);
    }

    private DeviceAnswer lookUp(String deviceId, boolean allowStale) {
        askedIds.add(deviceId);
        if (answer != null) {
            return answer;
        }
        if (migrating && !allowStale) {
            return new DeviceAnswer.Unavailable("restoring", 1);
        }
        DeviceView device = devices.get(deviceId);
        return device == null ? new DeviceAnswer.NotFound(deviceId) : new DeviceAnswer.Found(device, url);
    }

    @Override
    public HistoryAnswer history(String deviceId, int limit) {
        failIfBroken();
        calls.add("history " + deviceId + " (limit " + limit + ")");
        return historyOf(deviceId, limit);
    }

    @Override
    public HistoryAnswer historyAsOwner(String deviceId, int limit, int partition) {
        failIfBroken();
        if (partitions != null && !partitions.contains(partition)) {
            return new HistoryAnswer.Unavailable("partition " + partition + " not here yet", 1);
        }
        calls.add("owner of " + partition + ": history " + deviceId + " (limit " + limit + ")");
        return historyOf(deviceId, limit);
    }

    private HistoryAnswer historyOf(String deviceId, int limit) {
        askedIds.add(deviceId);
        if (historyAnswer != null) {
            return historyAnswer;
        }
        if (migrating) {
            return new HistoryAnswer.Unavailable("restoring", 1);
        }
        if (!devices.containsKey(deviceId)) {
            return new HistoryAnswer.NotFound(deviceId);
        }
        HistoryView all = histories.getOrDefault(deviceId, history(deviceId));
        HistoryView shown = new HistoryView(deviceId, all.transitions().stream().limit(limit).toList(), all.uptime(), all.complete());
        return new HistoryAnswer.Found(shown, url);
    }

    @Override
    public DevicePage devices(DeviceFilter filter, String after, int limit) {
        failIfBroken();
        calls.add("devices");
        devicesCalls.add(new DevicesCall(filter, after, limit));
        List<DeviceView> matching = new ArrayList<>();
        for (DeviceView device : devices.values()) {
            if ((after == null || DeviceIdOrder.UTF8.compare(device.deviceId(), after) > 0)
                    && filter.matches(device)) {
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
        calls.add("stats");
        long online = devices.values().stream().filter(d -> d.status().equals("ONLINE")).count();
        long offline = devices.values().stream().filter(d -> d.status().equals("OFFLINE")).count();
        return new FleetStats(online + offline, online, offline, missing);
    }

    /** Counted from the devices, as the real stores' counts would have them, then what {@code which} picks of them. */
    @Override
    public GroupCounts countsBy(CountKind kind, KeySelection which) {
        failIfBroken();
        calls.add("counts by " + kind.field() + (which instanceof KeySelection.Every ? "" : ": " + which));
        GroupCounts.Sum every = new GroupCounts.Sum();
        for (DeviceView device : devices.values()) {
            boolean online = device.status().equals("ONLINE");
            every.add(kind == CountKind.GROUP ? device.group() : device.deviceType(), online ? 1 : 0, online ? 0 : 1);
        }
        return which.cut(new GroupCounts.Sum().add(every.counts(List.of()), which).counts(missing));
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

    @Override
    public FleetQueries localOnly() {
        return localOnly;
    }

    private void failIfBroken() {
        RuntimeException toThrow = failure;
        if (toThrow != null) {
            throw toThrow;
        }
    }
}
