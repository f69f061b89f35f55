package io.offlinedetector.topology;

import io.offlinedetector.domain.TimeoutPolicy;
import java.time.Duration;

/** What the topology needs from the configuration. */
public record DetectionSettings(TimeoutPolicy timeouts, Duration checkInterval, Duration clockSkewMax) {

    public static DetectionSettings defaults() {
        return new DetectionSettings(
                new TimeoutPolicy(Duration.ofMinutes(5).toMillis(), 1_000, Duration.ofDays(7).toMillis(), java.util.Map.of()),
                Duration.ofSeconds(1),
                Duration.ofMinutes(1));
    }
}
