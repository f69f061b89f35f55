package io.offlinedetector.config;

import io.offlinedetector.alerts.AlertSettings;
import io.offlinedetector.domain.FlappingPolicy;
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
 * @param offlineRetention how long OFFLINE devices are kept; zero keeps them
 * @param adminToken the admin endpoints' bearer token, or {@code null} when they are off
 * @param standbyReplicas warm copies of each partition's state kept by other instances
 * @param streamThreads stream threads of this instance, among which its partitions are shared
 * @param kafka other Kafka Streams and client properties from the config file, passed through
 * @param startupTimeout how long start-up waits for Kafka before it stops with one line
 * @param rocksdbMemoryBytes the bound on RocksDB's off-heap memory, shared by all stores of the instance
 * @param metricsGroups whether {@code /metrics} also has the device counts by group (a series per
 *     group and status, off by default because a fleet may have very many groups)
 * @param flapping when a device counts as flapping
 * @param alerts where and how often DeviceOffline alerts go; {@link AlertSettings#off()} when no
 *     Alertmanager is set
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
        Duration offlineRetention,
        String adminToken,
        Map<String, String> kafka,
        Duration startupTimeout,
        int standbyReplicas,
        int streamThreads,
        long rocksdbMemoryBytes,
        boolean metricsGroups,
        FlappingPolicy flapping,
        AlertSettings alerts) {

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
                clockSkewMax,
                offlineRetention,
                flapping);
    }
}
