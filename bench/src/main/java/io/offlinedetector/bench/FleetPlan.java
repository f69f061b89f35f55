package io.offlinedetector.bench;

import java.nio.charset.StandardCharsets;

/**
 * The devices of the fleet stage: {@code bench-%08d} as in {@link Preload}, one heartbeat each.
 * Every hundredth device asks for the shortest timeout and goes OFFLINE at once, so that the OFFLINE
 * list has something to page through; the others ask for a day and stay ONLINE for the whole run.
 * The devices are spread over 100,000 groups, {@code site-0} to {@code site-99999}: device {@code i}
 * of the first 100,000 in group {@code i}, and each further 100,000 shifted by one more. So a tenth
 * of the full fleet already fills every group and the counts by group are timed over as many groups
 * at both sizes; and at 1,000,000 devices a group's ten devices hold at most one OFFLINE device (a
 * tenth of the groups have one), rather than all ten or none.
 */
final class FleetPlan {

    /** One device in this many is meant to go OFFLINE. */
    static final int OFFLINE_EVERY = 100;
    /** The detector's default {@code timeout.min}. */
    static final long OFFLINE_TIMEOUT_MS = 1_000;
    /** Longer than any bench run. */
    static final long ONLINE_TIMEOUT_MS = 86_400_000;
    /** The groups the fleet's devices are spread over. */
    static final int GROUPS = 100_000;

    private FleetPlan() {}

    static String deviceId(long index) {
        return Preload.deviceId(index);
    }

    static boolean goesOffline(long index) {
        return index % OFFLINE_EVERY == 0;
    }

    static String group(long index) {
        return "site-" + (index + index / GROUPS) % GROUPS;
    }

    /** How many groups the devices {@code [0, devices)} belong to. */
    static long groupsAmong(long devices) {
        return Math.min(devices, GROUPS);
    }

    /** How many of the devices {@code [0, devices)} go OFFLINE. */
    static long offlineAmong(long devices) {
        return devices <= 0 ? 0 : (devices - 1) / OFFLINE_EVERY + 1;
    }

    static byte[] heartbeat(long index) {
        long timeoutMs = goesOffline(index) ? OFFLINE_TIMEOUT_MS : ONLINE_TIMEOUT_MS;
        return ("{\"deviceType\":\"sensor\",\"group\":\"" + group(index) + "\",\"timeoutMs\":" + timeoutMs + "}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
