package io.offlinedetector.query;

import io.offlinedetector.domain.CountKind;
import java.util.List;

/** The questions the HTTP API asks of the fleet's state, wherever that state lives. */
public interface FleetQueries {

    default DeviceAnswer device(String deviceId) {
        return device(deviceId, false);
    }

    /** @param allowStale a standby's copy will do when the active one cannot answer */
    DeviceAnswer device(String deviceId, boolean allowStale);

    /**
     * The device, asked of the instance that the asker's metadata names as the owner of
     * {@code partition}. While that partition is not processed here (yet), the answer is
     * {@link DeviceAnswer.Unavailable}, never "unknown": during a handover the instances' metadata
     * can disagree for a moment.
     */
    default DeviceAnswer deviceAsOwner(String deviceId, boolean allowStale, int partition) {
        return device(deviceId, allowStale);
    }

    /**
     * The device's latest transitions, newest first, at most {@code limit}, and its uptime: answered
     * by its owner, as {@link #device} is.
     */
    HistoryAnswer history(String deviceId, int limit);

    /** The history, asked of the owner of {@code partition}: unavailable, not unknown, while it is not processed here (yet). */
    default HistoryAnswer historyAsOwner(String deviceId, int limit, int partition) {
        return history(deviceId, limit);
    }

    /**
     * @param filter which devices: {@link DeviceFilter#NONE} for every one
     * @param after  only ids after this one (exclusive), or from the start when {@code null}
     */
    DevicePage devices(DeviceFilter filter, String after, int limit);

    FleetStats stats();

    /**
     * How many devices of the groups (or device types) that {@code which} picks are online and
     * offline, in key order ({@link GroupCount#KEY_ORDER}), from counts kept per key as devices
     * change, never from the devices.
     */
    GroupCounts countsBy(CountKind kind, KeySelection which);

    /** The counts of every group (or device type). */
    default GroupCounts countsBy(CountKind kind) {
        return countsBy(kind, KeySelection.EVERY);
    }

    /**
     * One page of the counts by group (or device type) in {@code order}, after {@code after} (or
     * from the start when {@code null}): each group's counts exact, however its devices are spread,
     * read from about a page of each instance's counts (see {@link GroupCountPaging}).
     */
    default GroupCountPage countsBy(CountKind kind, GroupCountPage.Order order, GroupCountPage.Cursor after, int limit) {
        return GroupCountPaging.page(which -> countsBy(kind, which), order, after, limit);
    }

    List<InstanceView> instances();

    /** This instance is running and can serve queries. */
    boolean ready();

    /** The process is alive and its stream processing has not failed for good. */
    boolean live();

    /**
     * The same questions answered from this instance's own state only, never asking another
     * instance: what peers ask each other ({@link PeerProtocol#LOCAL_ONLY_PARAM}).
     */
    default FleetQueries localOnly() {
        return this;
    }
}
