package io.offlinedetector.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.FlappingPolicy;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.domain.TimeoutPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Status events say whether their device flaps, and the listener hears of every change and removal. */
class FlappingTopologyTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(4);
    /** Four transitions within a minute; a device that beats, falls silent for 5 s and beats again makes two each time. */
    private static final DetectionSettings SETTINGS = new DetectionSettings(
            new TimeoutPolicy(TIMEOUT.toMillis(), 1_000, 3_600_000, Map.of()), Duration.ofMillis(500), Duration.ofMinutes(1),
            Duration.ofMinutes(10), new FlappingPolicy(4, 60_000));

    private final List<String> changed = new ArrayList<>();
    /** What the listener heard of alerts whose labels left the stores: removals while OFFLINE, and returns under other labels. */
    private final List<String> gone = new ArrayList<>();

    @RegisterExtension
    final DetectorDriver driver = new DetectorDriver(SETTINGS, new DeviceChangeListener() {
        @Override
        public void statusChanged(StatusChange change, int partition) {
            changed.add(change.deviceId() + "@" + partition);
        }

        @Override
        public void offlineLabelsGone(String deviceId, int partition, DeviceState last, boolean flapping) {
            gone.add(deviceId + "@" + partition + " " + last.status() + " " + last.group() + "/" + last.deviceType() + " flapping=" + flapping);
        }
    });

    private void tripOfflineAndBack(String deviceId) {
        driver.advance(TIMEOUT.plusSeconds(1));
        driver.beat(deviceId, "");
    }

    @Test
    void aDeviceFlapsFromTheChangeThatMakesEnoughWithinTheWindow() {
        driver.beat("pump", ""); // appears: no flap
        tripOfflineAndBack("pump"); // transitions 2 and 3 (first counted ones)
        tripOfflineAndBack("pump"); // 4 and 5: the 5th is the 4th counted within a minute

        assertThat(driver.events()).extracting(StatusChange::sequence, StatusChange::flapping)
                .containsExactly(
                        tuple(1L, false),
                        tuple(2L, false),
                        tuple(3L, false),
                        tuple(4L, false),
                        tuple(5L, true));
    }

    @Test
    void aDeviceCalmsWhenItsTransitionsSpreadOutBeyondTheWindow() {
        driver.beat("pump", "");
        tripOfflineAndBack("pump");
        tripOfflineAndBack("pump");
        driver.advance(Duration.ofMinutes(2)); // OFFLINE after 4 s, then quiet for two minutes
        driver.beat("pump", "");

        List<StatusChange> events = driver.events();
        assertThat(events.get(events.size() - 2).flapping()).as("the OFFLINE right after the flaps").isTrue();
        assertThat(events.get(events.size() - 1).flapping()).as("back after two quiet minutes").isFalse();
    }

    @Test
    void theListenerHearsOfEveryChangeAndOfRemovalsWhileOffline() {
        driver.beat("pump", "");
        tripOfflineAndBack("pump");
        tripOfflineAndBack("pump");
        driver.beat("calm", "");
        driver.advance(TIMEOUT.plusSeconds(1)); // both OFFLINE; pump flapping
        driver.advance(Duration.ofMinutes(10)); // both removed after the retention

        assertThat(changed).containsExactly("pump@0", "pump@0", "pump@0", "pump@0", "pump@0", "calm@0", "calm@0", "pump@0");
        assertThat(gone).containsExactlyInAnyOrder("pump@0 OFFLINE null/null flapping=true", "calm@0 OFFLINE null/null flapping=false");
        assertThat(driver.states().get("pump")).isNull();
    }

    @Test
    void aRemovedOnlineDeviceHasNoAlertToResolve() {
        driver.beat("pump", "");
        driver.pipe(new TestRecord<>(DetectorDriver.utf8("pump"), null, DeviceCommands.removal(), driver.now()));

        assertThat(driver.states().get("pump")).isNull();
        assertThat(gone).isEmpty();
        assertThat(changed).as("only its first heartbeat").containsExactly("pump@0");
    }

    @Test
    void aDeviceBackUnderAnotherGroupOrTypeLeavesItsOfflineLabelsToTheListener() {
        driver.beat("pump", "{\"group\":\"site-7\",\"deviceType\":\"pump\"}");
        driver.beat("valve", "{\"group\":\"site-7\",\"deviceType\":\"valve\"}");
        driver.advance(TIMEOUT.plusSeconds(1)); // both OFFLINE under site-7
        driver.beat("pump", "{\"group\":\"site-8\"}"); // back, moved to site-8
        driver.beat("valve", "{\"group\":\"site-7\"}"); // back where it was

        assertThat(gone).containsExactly("pump@0 OFFLINE site-7/pump flapping=false");
        assertThat(changed).containsExactly("pump@0", "valve@0", "pump@0", "valve@0", "pump@0", "valve@0");
    }
}
