package io.offlinedetector.config;

import io.offlinedetector.domain.TimeoutPolicy;
import io.offlinedetector.progress.StallGuardSettings;
import io.offlinedetector.topology.DetectionSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The whole configuration of one instance, parsed and checked once at start-up by
 * {@link ConfigLoader}.
 *
 * @param advertisedUrl how other instances reach this one; {@code null} means
 *     {@code http://127.0.0.1:<bound port>}, known once the HTTP server listens
 * @param standbyReplicas warm copies of each partition's state kept by other instances
 * @param kafka other Kafka Streams and client properties from the config file, passed through
 */
public record DetectorConfig(
        String bootstrapServers,
        String applicationId,
        String httpBind,
        int httpPort,
        URI advertisedUrl,
        Path stateDir,
        Duration defaultTimeout,
        Duration timeoutMin,
        Duration timeoutMax,
        Map<String, Duration> typeTimeouts,
        Duration checkInterval,
        Duration clockSkewMax,
        String processingGuarantee,
        StallGuardSettings stallGuard,
        int standbyReplicas,
        Map<String, String> kafka) {

    public DetectorConfig {
        typeTimeouts = Map.copyOf(typeTimeouts);
        kafka = Map.copyOf(kafka);
    }

    public DetectionSettings detection() {
        Map<String, Long> typeMs = new java.util.HashMap<>();
        typeTimeouts.forEach((type, timeout) -> typeMs.put(type, timeout.toMillis()));
        return new DetectionSettings(
                new TimeoutPolicy(defaultTimeout.toMillis(), timeoutMin.toMillis(), timeoutMax.toMillis(), typeMs),
                checkInterval,
                clockSkewMax);
    }
}
