package io.offlinedetector.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.offlinedetector.domain.TimeoutPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The detector's own Kafka Streams metrics per task ({@link TaskMetrics}), read from the test driver while its wall clock moves. */
class TaskMetricsTest {

    private static final Instant START = DetectorDriver.START;
    private static final Duration TIMEOUT = Duration.ofSeconds(4);
    private static final Duration CHECK = Duration.ofMillis(500);

    @RegisterExtension
    final DetectorDriver driver = new DetectorDriver(new DetectionSettings(
            new TimeoutPolicy(TIMEOUT.toMillis(), 1_000, Duration.ofHours(1).toMillis(), Map.of()), CHECK, Duration.ofMinutes(1)));

    @Test
    void countsHeartbeatsDeadLettersAndTransitionsByStatus() {
        beat("a", "");
        beat("b", "{}");
        beat("a", "");
        beat("c", "not json");
        driver.advanceWallClockTime(CHECK); // counts reach the sensors with each check

        assertThat(value(TaskMetrics.HEARTBEATS)).isEqualTo(3);
        assertThat(value(TaskMetrics.DEAD_LETTERED)).isEqualTo(1);
        assertThat(transitions("ONLINE")).isEqualTo(2);
        assertThat(transitions("OFFLINE")).isZero();

        driver.advanceWallClockTime(TIMEOUT);

        assertThat(transitions("OFFLINE")).isEqualTo(2);
        assertThat(value(TaskMetrics.DUE_DEVICES + "-max")).isEqualTo(2);
        assertThat(value(TaskMetrics.CHECKS)).isEqualTo(2);
        assertThat(value(TaskMetrics.CHECK_DURATION + "-max")).isGreaterThan(0);
    }

    @Test
    @DisplayName("check duration in seconds, and in ms under the deprecated names")
    void checkDurationInSecondsAndDeprecatedMs() {
        beat("a", "");
        driver.advanceWallClockTime(CHECK);

        double seconds = value(TaskMetrics.CHECK_DURATION + "-max");
        assertThat(seconds).as("one device takes far less than a second").isGreaterThan(0).isLessThan(1.0);
        assertThat(value(TaskMetrics.CHECK_DURATION + "-avg")).isGreaterThan(0).isLessThanOrEqualTo(seconds);
        assertThat(value(TaskMetrics.CHECK_DURATION_MS + "-max")).isCloseTo(seconds * 1_000, within(1e-6 * seconds * 1_000));
        assertThat(value(TaskMetrics.CHECK_DURATION_MS + "-avg")).isGreaterThan(0);
    }

    @Test
    void everyMetricIsTaggedWithTaskAndPartition() {
        beat("a", "");
        driver.advanceWallClockTime(CHECK);

        assertThat(driver.metrics().keySet()).filteredOn(name -> name.group().equals(TaskMetrics.GROUP))
                .isNotEmpty()
                .allSatisfy(name -> assertThat(name.tags()).containsEntry("task-id", "0_0").containsEntry("partition", "0"));
    }

    @Test
    @DisplayName("clock lag: the wall clock minus the detector clock of the latest check, growing until the next")
    void clockLagIsWallClockMinusTheClockOfTheLatestCheck() {
        assertThat(value(TaskMetrics.CLOCK_LAG)).as("no check yet").isNaN();
        assertThat(value(TaskMetrics.CLOCK_LAG_MS)).as("no check yet").isNaN();

        driver.advanceWallClockTime(CHECK);
        assertThat(value(TaskMetrics.CLOCK_LAG)).isZero();
        assertThat(value(TaskMetrics.CLOCK_LAG_MS)).isZero();

        driver.advanceWallClockTime(Duration.ofMillis(200)); // before the next check is due
        assertThat(value(TaskMetrics.CLOCK_LAG)).as("in seconds").isEqualTo(0.2);
        assertThat(value(TaskMetrics.CLOCK_LAG_MS)).as("deprecated, in ms").isEqualTo(200);
    }

    @Test
    void closingTheTaskRemovesItsMetrics() {
        beat("a", "");
        driver.close();

        assertThat(driver.metrics().keySet()).noneMatch(name -> name.group().equals(TaskMetrics.GROUP));
    }

    private void beat(String device, String value) {
        driver.beat(device, value, START);
    }

    private double transitions(String status) {
        return driver.metric(TaskMetrics.TRANSITIONS, status);
    }

    private double value(String name) {
        return driver.metric(name);
    }
}
