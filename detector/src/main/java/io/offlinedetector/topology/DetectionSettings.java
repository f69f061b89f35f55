package io.offlinedetector.topology;

import io.offlinedetector.domain.FlappingPolicy;
import io.offlinedetector.domain.TimeoutPolicy;
import java.time.Duration;

/**
 * What the topology needs from the configuration.
 *
 * @param offlineRetention how long a device may stay OFFLINE before it is removed; zero keeps it
 * @param flapping when a device counts as flapping
 */
public record DetectionSettings(TimeoutPolicy timeouts, Duration checkInterval, Duration clockSkewMax, Duration offlineRetention,
        FlappingPolicy flapping) {

    public DetectionSettings(TimeoutPolicy timeouts, Duration checkInterval, Duration clockSkewMax) {
        this(timeouts, checkInterval, clockSkewMax, Duration.ZERO);
    }

    public DetectionSettings(TimeoutPolicy timeouts, Duration checkInterval, Duration clockSkewMax, Duration offlineRetention) {
        this(timeouts, checkInterval, clockSkewMax, offlineRetention, FlappingPolicy.DEFAULT);
    }
}
