package io.offlinedetector.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.domain.TimeoutPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The detector's own Kafka Streams metrics, read from the test driver while its wall clock moves. */
class DetectorMetricsTest {

    private static final Instant START = Instant.parse("2026-11-21T20:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(4);
    private static final Duration CHECK = Duration.ofMillis(500);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> heartbeats;

    @BeforeEach
    void startDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "metrics-test-" + UUID.randomUUID());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        DetectionSettings settings = new DetectionSettings(
                new TimeoutPolicy(TIMEOUT.toMillis(), 1_000, Duration.ofHours(1).toMillis(), Map.of()), CHECK, Duration.ofMinutes(1));
        driver = new TopologyTestDriver(DetectorTopology.build(settings), props, START);
        heartbeats = driver.createInputTopic(Names.HEARTBEATS_TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void closeDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    @Test
    void countsHeartbeatsDeadLettersAndTransitionsByStatus() {
        beat("a", "");
        beat("b", "{}");
        beat("a", "");
        beat("c", "not json");
        driver.advanceWallClockTime(CHECK); // counts reach the sensors with each check

        assertThat(value(DetectorMetrics.HEARTBEATS)).isEqualTo(3);
        assertThat(value(DetectorMetrics.DEAD_LETTERED)).isEqualTo(1);
        assertThat(transitions("ONLINE")).isEqualTo(2);
        assertThat(transitions("OFFLINE")).isZero();

        driver.advanceWallClockTime(TIMEOUT);

        assertThat(transitions("OFFLINE")).isEqualTo(2);
        assertThat(value(DetectorMetrics.DUE_DEVICES + "-max")).isEqualTo(2);
        assertThat(value(DetectorMetrics.CHECKS)).isEqualTo(2);
        assertThat(value(DetectorMetrics.CHECK_DURATION + "-max")).isGreaterThan(0);
    }

    @Test
    void everyMetricIsTaggedWithTaskAndPartition() {
        beat("a", "");
        driver.advanceWallClockTime(CHECK);

        assertThat(driver.metrics().keySet()).filteredOn(name -> name.group().equals(DetectorMetrics.GROUP))
                .isNotEmpty()
                .allSatisfy(name -> assertThat(name.tags()).containsEntry("task-id", "0_0").containsEntry("partition", "0"));
    }

    @Test
    @DisplayName("clock lag: the wall clock minus the detector clock of the latest check, growing until the next")
    void clockLagIsWallClockMinusTheClockOfTheLatestCheck() {
        assertThat(value(DetectorMetrics.CLOCK_LAG)).as("no check yet").isNaN();

        driver.advanceWallClockTime(CHECK);
        assertThat(value(DetectorMetrics.CLOCK_LAG)).isZero();

        driver.advanceWallClockTime(Duration.ofMillis(200)); // before the next check is due
        assertThat(value(DetectorMetrics.CLOCK_LAG)).isEqualTo(200);
    }

    @Test
    void closingTheTaskRemovesItsMetrics() {
        beat("a", "");
        TopologyTestDriver closed = driver;
        driver = null;
        closed.close();

        assertThat(closed.metrics().keySet()).noneMatch(name -> name.group().equals(DetectorMetrics.GROUP));
    }

    private void beat(String device, String value) {
        heartbeats.pipeInput(device.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), START);
    }

    private double transitions(String status) {
        return metric(DetectorMetrics.TRANSITIONS, status);
    }

    private double value(String name) {
        return metric(name, null);
    }

    private double metric(String name, String status) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(DetectorMetrics.GROUP) && e.getKey().name().equals(name))
                .filter(e -> status == null || status.equals(e.getKey().tags().get("status")))
                .map(Map.Entry<MetricName, ? extends Metric>::getValue)
                .mapToDouble(metric -> ((Number) metric.metricValue()).doubleValue())
                .reduce(Double::sum)
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }
}
