package io.offlinedetector.topology;

import static io.offlinedetector.topology.DetectorDriver.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.TimeoutPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The devices listed by group and by device type in the index store: listed as devices appear,
 * moved as their group or type changes, left alone by transitions, gone with the device, and
 * rebuilt once from the states in a store kept before the lists.
 */
class KeyIndexTopologyTest {

    private static final Instant START = DetectorDriver.START;
    private static final Duration TIMEOUT = Duration.ofSeconds(4);
    private static final Duration CHECK = Duration.ofMillis(500);
    private static final Duration RETENTION = Duration.ofSeconds(30);
    private static final DetectionSettings SETTINGS = new DetectionSettings(
            new TimeoutPolicy(TIMEOUT.toMillis(), 1_000, Duration.ofHours(1).toMillis(), Map.of()), CHECK, Duration.ofMinutes(1), RETENTION);

    @RegisterExtension
    final DetectorDriver driver = new DetectorDriver(SETTINGS);

    @Test
    void aNewDeviceIsListedUnderItsGroupAndItsTypeAndOneWithoutThemIsNot() {
        driver.beat("sensor-2", "{\"group\":\"site-7\",\"deviceType\":\"thermostat\"}", START);
        driver.beat("sensor-1", "{\"group\":\"site-7\"}", START);
        driver.beat("sensor-3", "", START);

        assertThat(driver.keyed(CountKind.GROUP)).containsExactly(entry("site-7", List.of("sensor-1", "sensor-2")));
        assertThat(driver.keyed(CountKind.DEVICE_TYPE)).containsExactly(entry("thermostat", List.of("sensor-2")));
    }

    @Test
    void aHeartbeatChangingGroupOrTypeMovesTheDeviceAndOneWithoutThemKeepsIt() {
        driver.beat("sensor-1", "{\"group\":\"site-7\",\"deviceType\":\"pump\"}", START);
        driver.beat("sensor-1", "", START.plusSeconds(1));
        assertThat(driver.keyed(CountKind.GROUP)).containsExactly(entry("site-7", List.of("sensor-1")));

        driver.beat("sensor-1", "{\"group\":\"site-8\"}", START.plusSeconds(2));
        assertThat(driver.keyed(CountKind.GROUP)).containsExactly(entry("site-8", List.of("sensor-1")));
        assertThat(driver.keyed(CountKind.DEVICE_TYPE)).containsExactly(entry("pump", List.of("sensor-1")));

        driver.beat("sensor-1", "{\"deviceType\":\"valve\"}", START.plusSeconds(3));
        assertThat(driver.keyed(CountKind.GROUP)).containsExactly(entry("site-8", List.of("sensor-1")));
        assertThat(driver.keyed(CountKind.DEVICE_TYPE)).containsExactly(entry("valve", List.of("sensor-1")));
    }

    @Test
    void aTimeoutAndTheReturnLeaveTheListsAsTheyAre() {
        driver.beat("sensor-1", "{\"group\":\"site-7\",\"deviceType\":\"pump\"}", START);
        Map<String, List<String>> byGroup = driver.keyed(CountKind.GROUP);

        driver.advance(TIMEOUT.plusSeconds(1));
        assertThat(driver.keyed(CountKind.GROUP)).isEqualTo(byGroup);

        driver.beat("sensor-1", "", driver.now());
        assertThat(driver.keyed(CountKind.GROUP)).isEqualTo(byGroup);
        assertThat(driver.keyed(CountKind.DEVICE_TYPE)).containsExactly(entry("pump", List.of("sensor-1")));
    }

    @Test
    void aRemovedDeviceLeavesTheLists() {
        driver.beat("sensor-1", "{\"group\":\"site-7\",\"deviceType\":\"pump\"}", START);
        driver.beat("sensor-2", "{\"group\":\"site-7\"}", START.plusSeconds(20));

        driver.pipe(new TestRecord<>(utf8("sensor-2"), null, DeviceCommands.removal(), START.plusSeconds(21)));
        assertThat(driver.keyed(CountKind.GROUP)).containsExactly(entry("site-7", List.of("sensor-1")));

        driver.advance(TIMEOUT.plus(RETENTION).plusSeconds(1)); // sensor-1 is removed after the retention
        assertThat(driver.states().get("sensor-1")).isNull();
        assertThat(driver.keyed(CountKind.GROUP)).isEmpty();
        assertThat(driver.keyed(CountKind.DEVICE_TYPE)).isEmpty();
    }

    @Test
    void aKeysDevicesAreARangeOfTheirOwnInIdOrderEvenWhenOneKeyStartsAnother() {
        driver.beat("b", "{\"group\":\"a\"}", START);
        driver.beat("a", "{\"group\":\"a\"}", START);
        driver.beat("c", "{\"group\":\"ab\"}", START);
        driver.beat("d", "{\"group\":\"a\",\"deviceType\":\"a\"}", START);
        driver.beat("\uD834\uDD1E", "{\"group\":\"a\"}", START);
        driver.beat("\uFFFD", "{\"group\":\"a\"}", START); // before U+1D11E in UTF-8, after it in UTF-16

        assertThat(driver.keyedIds(CountKind.GROUP, "a", null)).containsExactly("a", "b", "d", "\uFFFD", "\uD834\uDD1E");
        assertThat(driver.keyedIds(CountKind.GROUP, "a", "b")).containsExactly("d", "\uFFFD", "\uD834\uDD1E");
        assertThat(driver.keyedIds(CountKind.GROUP, "ab", null)).containsExactly("c");
        assertThat(driver.keyedIds(CountKind.DEVICE_TYPE, "a", null)).containsExactly("d");
        assertThat(driver.keyedIds(CountKind.GROUP, "b", null)).isEmpty();
    }
}
