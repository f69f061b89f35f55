package io.offlinedetector.alerts;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Where the detector sends its DeviceOffline alerts, and how often it sends them again.
 *
 * @param alertmanagers   the Alertmanagers, each sent every alert (an HA pair dedupes them); empty
 *                        when alerts are off
 * @param resendInterval  how often the alerts of devices that stay OFFLINE are sent again
 */
public record AlertSettings(List<URI> alertmanagers, Duration resendInterval) {

    public AlertSettings {
        alertmanagers = List.copyOf(alertmanagers);
    }

    public static AlertSettings off() {
        return new AlertSettings(List.of(), Duration.ofMinutes(1));
    }

    public boolean enabled() {
        return !alertmanagers.isEmpty();
    }
}
