package io.offlinedetector.domain;

/**
 * One valid heartbeat.
 *
 * @param deviceId  the record key
 * @param time      the record timestamp, epoch millis (the device's or producer's clock)
 * @param deviceType the optional device type, or {@code null}
 * @param group     the optional group (a site, a gateway, a customer), or {@code null}
 * @param timeoutMs the device's own timeout request, or {@code null}
 */
public record Heartbeat(String deviceId, long time, String deviceType, String group, Long timeoutMs) {

    public static Heartbeat bare(String deviceId, long time) {
        return new Heartbeat(deviceId, time, null, null, null);
    }
}
