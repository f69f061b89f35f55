package io.offlinedetector.bench;

import java.nio.charset.StandardCharsets;

/**
 * The devices of the fleet stage: {@code bench-%08d} as in {@link Preload}, one heartbeat each.
 * Every hundredth device asks for the shortest timeout and goes OFFLINE at once, so that the OFFLINE
 * list has something to page through; the others ask for a day and stay ONLINE for the whole run.
 */
final class FleetPlan {

    /** One device in this many is meant to go OFFLINE. */
    static final int OFFLINE_EVERY = 100;
    /** The detector's default {@code timeout.min}. */
    static final long OFFLINE_TIMEOUT_MS = 1_000;
    /** Longer than any bench run. */
    static final long ONLINE_TIMEOUT_MS = 86_400_000;

    private static final byte[] OFFLINE_BODY = body(OFFLINE_TIMEOUT_MS);
    private static final byte[] ONLINE_BODY = body(ONLINE_TIMEOUT_MS);

    private FleetPlan() {}

    static String deviceId(long index) {
        return Preload.deviceId(index);
    }

    static boolean goesOffline(long index) {
        return index % OFFLINE_EVERY == 0;
    }

    /** How many of the devices {@code [0, devices)} go OFFLINE. */
    static long offlineAmong(long devices) {
        return devices <= 0 ? 0 : (devices - 1) / OFFLINE_EVERY + 1;
    }

    static byte[] heartbeat(long index) {
        return goesOffline(index) ? OFFLINE_BODY : ONLINE_BODY;
    }

    private static byte[] body(long timeoutMs) {
        return ("{\"deviceType\":\"sensor\",\"timeoutMs\":" + timeoutMs + "}").getBytes(StandardCharsets.UTF_8);
    }
}
