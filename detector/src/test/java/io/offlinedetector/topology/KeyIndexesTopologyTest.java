package io.offlinedetector.topology;

import static io.offlinedetector.topology.DetectorDriver.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.TimeoutPolicy;
import io.offlinedetector.topology.DetectorDriver.Counted;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The counts and lists by group and by device type in the state store: the counts kept as devices
 * appear, change status, group or type, and go; the devices listed as they appear, moved as their
 * group or type changes, left alone by transitions, gone with the device (and, as the driver checks
 * after each test, always the entries the states imply).
 */
class KeyIndexesTopologyTest {

    private static final Instant START = DetectorDriver.START;
    private static final Duration TIMEOUT = Duration.ofSeconds(4);
    private static final Duration CHECK = Duration.ofMillis(500);
    private static final Duration RETENTION = Duration.ofSeconds(30);
    private static final DetectionSettings SETTINGS = new DetectionSettings(
            new TimeoutPolicy(TIMEOUT.toMillis(), 1_000, Duration.ofHours(1).toMillis(), Map.of()), CHECK, Duration.ofMinutes(1), RETENTION);

    @RegisterExtension
    final DetectorDriver driver = new DetectorDriver(SETTINGS);

    @Test
    void firstHeartbeatCountsUnderItsGroupAndItsType() {
        driver.beat("sensor-1", "{\"group\":\"site-7\",\"deviceType\":\"thermostat\"}", START);

        assertThat(driver.countsBy(CountKind.GROUP)).containsExactly(entry("site-7", online(1)));
        assertThat(driver.countsBy(CountKind.DEVICE_TYPE)).containsExactly(entry("thermostat", online(1)));
    }

    @Test
    void devicesWithoutAGroupOrTypeCountUnderNullFirstThenKeysInUtf8Order() {
        driver.beat("a", "", START);
        driver.beat("b", "{\"group\":\"\"}", START);
        driver.beat("c", "{\"group\":\"\uFFFD\"}", START);
        driver.beat("d", "{\"group\":\"\uD834\uDD1E\"}", START); // after U+FFFD in UTF-8, before it in UTF-16
        driver.beat("e", "{\"group\":\"site-7\"}", START);
        driver.beat("f", "{\"group\":null}", START);

        assertThat(driver.countsBy(CountKind.GROUP)).containsExactly(
                entry(null, online(2)), entry("", online(1)), entry("site-7", online(1)), entry("\uFFFD", online(1)),
                entry("\uD834\uDD1E", online(1)));
        assertThat(driver.countsBy(CountKind.DEVICE_TYPE)).containsExactly(entry(null, online(6)));
    }

    @Test
    void moreHeartbeatsWithTheSameOrNoGroupChangeNoCount() {
        driver.beat("sensor-1", "{\"group\":\"site-7\"}", START);
        driver.beat("sensor-1", "{\"group\":\"site-7\"}", START.plusSeconds(1));
        driver.beat("sensor-1", "", START.plusSeconds(2));

        assertThat(driver.countsBy(CountKind.GROUP)).containsExactly(entry("site-7", online(1)));
    }

    @Test
    void aHeartbeatChangingGroupOrTypeMovesTheCountAndAnEmptiedKeyGoes() {
        driver.beat("sensor-1", "{\"group\":\"site-7\",\"deviceType\":\"pump\"}", START);
        driver.beat("sensor-2", "{\"group\":\"site-7\",\"deviceType\":\"pump\"}", START);

        driver.beat("sensor-1", "{\"group\":\"site-8\"}", START.plusSeconds(1));
        assertThat(driver.countsBy(CountKind.GROUP)).containsExactly(entry("site-7", online(1)), entry("site-8", online(1)));
        assertThat(driver.countsBy(CountKind.DEVICE_TYPE)).containsExactly(entry("pump", online(2)));

        driver.beat("sensor-2", "{\"group\":\"site-8\",\"deviceType\":\"valve\"}", START.plusSeconds(1));
        assertThat(driver.countsBy(CountKind.GROUP)).containsExactly(entry("site-8", online(2)));
        assertThat(driver.countsBy(CountKind.DEVICE_TYPE)).containsExactly(entry("pump", online(1)), entry("valve", online(1)));
    }

    @Test
    void aTimeoutMovesTheDeviceFromOnlineToOfflineWithinItsGroupAndBackWhenItResumes() {
        driver.beat("sensor-1", "{\"group\":\"site-7\",\"deviceType\":\"pump\"}", START);
        driver.beat("sensor-2", "{\"group\":\"site-7\"}", START.plusSeconds(3));

        driver.advance(TIMEOUT.plusSeconds(1));
        assertThat(driver.count(Status.OFFLINE)).isEqualTo(1);
        assertThat(driver.countsBy(CountKind.GROUP)).containsExactly(entry("site-7", new Counted(1, 1)));
        assertThat(driver.countsBy(CountKind.DEVICE_TYPE)).containsExactly(entry(null, online(1)), entry("pump", offline(1)));

        driver.beat("sensor-1", "", driver.now());
        assertThat(driver.countsBy(CountKind.GROUP)).containsExactly(entry("site-7", online(2)));
    }

    @Test
    void anOfflineDeviceComingBackInAnotherGroupLeavesTheOldGroupsOfflineCount() {
        driver.beat("sensor-1", "{\"group\":\"site-7\"}", START);
        driver.advance(TIMEOUT.plusSeconds(1));

        driver.beat("sensor-1", "{\"group\":\"site-8\"}", driver.now());

        assertThat(driver.countsBy(CountKind.GROUP)).containsExactly(entry("site-8", online(1)));
    }

    @Test
    void aLateHeartbeatOfAnOfflineDeviceMovesItsOfflineCountToTheNewGroup() {
        driver.beat("sensor-1", "{\"group\":\"site-7\"}", START);
        driver.advance(TIMEOUT.plusSeconds(1));

        driver.beat("sensor-1", "{\"group\":\"site-8\"}", START.plusMillis(500)); // from before it went offline

        assertThat(driver.countsBy(CountKind.GROUP)).containsExactly(entry("site-8", offline(1)));
    }

    @Test
    void aRemovalCommandTakesTheDeviceOutOfItsCounts() {
        driver.beat("sensor-1", "{\"group\":\"site-7\",\"deviceType\":\"pump\"}", START);
        driver.beat("sensor-2", "{\"group\":\"site-7\"}", START);

        driver.pipe(new TestRecord<>(utf8("sensor-1"), null, DeviceCommands.removal(), START.plusSeconds(1)));

        assertThat(driver.countsBy(CountKind.GROUP)).containsExactly(entry("site-7", online(1)));
        assertThat(driver.countsBy(CountKind.DEVICE_TYPE)).containsExactly(entry(null, online(1)));
    }

    @Test
    void aDeviceRemovedAfterTheRetentionLeavesItsCounts() {
        driver.beat("sensor-1", "{\"group\":\"site-7\"}", START);
        driver.advance(TIMEOUT.plus(RETENTION).plusSeconds(1));

        assertThat(driver.states().get("sensor-1")).isNull();
        assertThat(driver.countsBy(CountKind.GROUP)).isEmpty();
        assertThat(driver.countsBy(CountKind.DEVICE_TYPE)).isEmpty();
    }

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

    private static Counted online(long n) {
        return new Counted(n, 0);
    }

    private static Counted offline(long n) {
        return new Counted(0, n);
    }
}
