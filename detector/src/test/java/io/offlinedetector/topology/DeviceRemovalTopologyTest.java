package io.offlinedetector.topology;

import static io.offlinedetector.topology.DetectorDriver.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.domain.TimeoutPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Removing devices: by command through the input topic, and by offline retention. */
class DeviceRemovalTopologyTest {

    private static final Instant START = DetectorDriver.START;
    private static final Duration TIMEOUT = Duration.ofSeconds(4);
    private static final Duration RETENTION = Duration.ofSeconds(30);

    /** Started by each test, with the retention it needs. */
    @RegisterExtension
    final DetectorDriver driver = new DetectorDriver();

    private void start(Duration retention) {
        driver.start(new DetectionSettings(
                new TimeoutPolicy(TIMEOUT.toMillis(), 1_000, 3_600_000, Map.of()), Duration.ofMillis(500), Duration.ofMinutes(1), retention));
    }

    @Test
    void removalCommandDropsTheStateAndPublishesATombstone() {
        start(Duration.ZERO);
        beat("sensor-1", START);
        beat("sensor-2", START);
        driver.status().readRecordsToList();

        driver.pipe(new TestRecord<>(utf8("sensor-1"), null, DeviceCommands.removal(), START.plusSeconds(1)));

        List<TestRecord<byte[], byte[]>> out = driver.status().readRecordsToList();
        assertThat(out).hasSize(1);
        assertThat(new String(out.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("sensor-1");
        assertThat(out.get(0).value()).as("a tombstone").isNull();
        assertThat(driver.states().get("sensor-1")).isNull();
        assertThat(driver.count(Status.ONLINE)).isEqualTo(1);
        assertThat(timerEntries()).isEqualTo(1);

        driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(driver.status().readRecordsToList()).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .as("only the remaining device goes offline").containsExactly("sensor-2");
    }

    @Test
    void aHeartbeatAfterRemovalStartsTheDeviceAfresh() {
        start(Duration.ZERO);
        beat("sensor-1", START);
        driver.pipe(new TestRecord<>(utf8("sensor-1"), null, DeviceCommands.removal(), START.plusSeconds(1)));
        driver.status().readRecordsToList();

        beat("sensor-1", START.plusSeconds(2));

        StatusChange change = StatusChangeJson.read(driver.status().readRecordsToList().get(0).value());
        assertThat(change.reason()).isEqualTo(Reason.FIRST_HEARTBEAT);
        assertThat(change.sequence()).isEqualTo(1);
    }

    @Test
    void removalOfAnUnknownDeviceChangesNothing() {
        start(Duration.ZERO);
        driver.pipe(new TestRecord<>(utf8("ghost"), null, DeviceCommands.removal(), START));
        assertThat(driver.status().isEmpty()).isTrue();
    }

    @Test
    void devicesOfflineLongerThanTheRetentionAreRemoved() {
        start(RETENTION);
        beat("sensor-1", START);
        driver.advanceWallClockTime(TIMEOUT.plusSeconds(1));
        List<TestRecord<byte[], byte[]>> offline = driver.status().readRecordsToList();
        assertThat(offline).hasSize(2);
        assertThat(StatusChangeJson.read(offline.get(1).value()).status()).isEqualTo(Status.OFFLINE);

        driver.advanceWallClockTime(RETENTION.minusSeconds(2));
        assertThat(driver.status().isEmpty()).as("not yet offline for the whole retention").isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(2));
        List<TestRecord<byte[], byte[]>> removed = driver.status().readRecordsToList();
        assertThat(removed).hasSize(1);
        assertThat(removed.get(0).value()).isNull();
        assertThat(driver.states().get("sensor-1")).isNull();
        assertThat(driver.count(Status.OFFLINE)).isZero();
        assertThat(timerEntries()).isZero();
    }

    @Test
    void aDeviceThatComesBackBeforeTheRetentionIsKept() {
        start(RETENTION);
        beat("sensor-1", START);
        driver.advanceWallClockTime(TIMEOUT.plusSeconds(1));
        beat("sensor-1", START.plusSeconds(10));
        driver.advanceWallClockTime(RETENTION);

        assertThat(driver.states().get("sensor-1")).isNotNull();
        assertThat(driver.status().readRecordsToList()).extracting(r -> r.value() == null ? "tombstone"
                : StatusChangeJson.read(r.value()).reason().name())
                .containsExactly("FIRST_HEARTBEAT", "TIMEOUT", "HEARTBEAT_RESUMED", "TIMEOUT");
    }

    private void beat(String device, Instant time) {
        driver.beat(device, "", time);
    }

    private int timerEntries() {
        return driver.timerIndex().values().stream().mapToInt(List::size).sum();
    }
}
