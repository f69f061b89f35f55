package io.offlinedetector.topology;

import static io.offlinedetector.topology.DetectorDriver.header;
import static io.offlinedetector.topology.DetectorDriver.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.domain.TimeoutPolicy;
import io.offlinedetector.domain.Transition;
import io.offlinedetector.topology.DetectorDriver.Counted;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Re-routing in the production topology: the test driver runs the task of partition 0 of four, so
 * a device that Java's partitioner puts elsewhere is handed on through the re-routing topic, which
 * the driver feeds back to the topology's other source as Kafka would to the owner's task.
 */
class ReroutingTopologyTest {

    private static final Instant START = DetectorDriver.START;
    private static final Duration TIMEOUT = Duration.ofSeconds(4);
    private static final Duration CHECK = Duration.ofMillis(500);
    private static final DetectionSettings SETTINGS = new DetectionSettings(
            new TimeoutPolicy(TIMEOUT.toMillis(), 1_000, Duration.ofHours(1).toMillis(), Map.of()), CHECK, Duration.ofMinutes(1));
    private static final Rerouting REROUTING = new Rerouting("detector-test" + Names.REROUTED_TOPIC_SUFFIX, 4);

    private final HandOverProgress progress = new HandOverProgress();

    @RegisterExtension
    final DetectorDriver driver = new DetectorDriver(SETTINGS, progress, REROUTING);

    @Test
    void aDeviceOwnedHereIsNeverHandedOn() {
        String device = deviceOwnedBy(0);
        driver.beat(device, null, START);

        assertThat(driver.rerouted().isEmpty()).isTrue();
        assertThat(driver.events()).extracting(StatusChange::reason).containsExactly(Reason.FIRST_HEARTBEAT);
    }

    @Test
    void aDeviceOwnedElsewhereIsHandedOnUnchangedWithWhereItWasRead() {
        String device = deviceOwnedBy(2);
        driver.beat(device, "{\"deviceType\":\"pump\"}", START);

        List<TestRecord<byte[], byte[]>> handedOn = driver.rerouted().readRecordsToList();
        assertThat(handedOn).hasSize(1);
        TestRecord<byte[], byte[]> record = handedOn.get(0);
        assertThat(record.key()).isEqualTo(utf8(device));
        assertThat(record.value()).isEqualTo(utf8("{\"deviceType\":\"pump\"}"));
        assertThat(record.timestamp()).isEqualTo(START.toEpochMilli());
        assertThat(header(record.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Names.HEARTBEATS_TOPIC);
        assertThat(header(record.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        // Read back from the re-routing topic, it is processed once, as the owner's.
        assertThat(driver.events()).extracting(StatusChange::reason).containsExactly(Reason.FIRST_HEARTBEAT);
        assertThat(driver.rerouted().isEmpty()).isTrue();
        assertThat(driver.metric(TaskMetrics.REROUTED)).isEqualTo(0.0); // counted in a field until the next check
        driver.advanceWallClockTime(CHECK);
        assertThat(driver.metric(TaskMetrics.REROUTED)).isEqualTo(1.0);
    }

    @Test
    void aBadRecordIsDeadLetteredOnceByItsOwnerWithItsPlaceInTheInput() {
        String device = deviceOwnedBy(3);
        driver.beat(device, null, START);
        driver.beat(device, "not json", START);

        List<TestRecord<byte[], byte[]>> dead = driver.deadLetters().readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).isEqualTo(utf8("not json"));
        assertThat(header(dead.get(0).headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Names.HEARTBEATS_TOPIC);
        assertThat(header(dead.get(0).headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(header(dead.get(0).headers(), DeadLetterHeaders.ERROR_CODE)).isNotNull();
    }

    @Test
    void aRecordWithoutAKeyIsDeadLetteredWhereItArrived() {
        driver.pipe(new TestRecord<>((byte[]) null, null, START));

        assertThat(driver.rerouted().isEmpty()).isTrue();
        assertThat(driver.deadLetters().readRecordsToList()).hasSize(1);
    }

    @Test
    void aRemovalCommandIsActedOnWhereItArrivedNeverHandedOn() {
        String device = deviceOwnedBy(1);
        driver.pipe(new TestRecord<>(utf8(device), null, DeviceCommands.removal(), START));

        assertThat(driver.rerouted().isEmpty()).isTrue();
    }

    @Test
    void aHeartbeatStillInTheHopHoldsTheOfflineDecision() {
        String device = deviceOwnedBy(0);
        driver.beat(device, null, START);
        // Other partitions have handed on their records only up to one second after the heartbeat.
        progress.reroutedThrough = START.plusSeconds(1).toEpochMilli();
        driver.advanceWallClockTime(TIMEOUT.plusSeconds(10));
        assertThat(driver.events()).extracting(StatusChange::reason).containsExactly(Reason.FIRST_HEARTBEAT);
        assertThat(progress.lastNextReroutedOffset).isEqualTo(-1L);

        progress.reroutedThrough = Long.MAX_VALUE;
        driver.advanceWallClockTime(CHECK);
        List<StatusChange> offline = driver.events();
        assertThat(offline).extracting(StatusChange::reason).containsExactly(Reason.TIMEOUT);
        assertThat(offline.get(0).changedAt()).isEqualTo(START.plus(TIMEOUT).toEpochMilli());
    }

    @Test
    void theClockAsksHowFarTheReroutingTopicIsRead() {
        driver.beat(deviceOwnedBy(1), null, START);
        driver.beat(deviceOwnedBy(2), null, START);
        driver.advanceWallClockTime(CHECK);
        assertThat(progress.lastNextReroutedOffset).isEqualTo(2L);
    }

    @Test
    @DisplayName("a state an earlier version kept in the wrong partition moves to its owner once, without an event, and times out once")
    void aStateKeptInTheWrongPartitionMovesToItsOwnerOnce() {
        // As a version before re-routing left it: announced through librdkafka, kept here though partition 2 owns it.
        String device = deviceOwnedBy(2);
        DeviceState legacy = new DeviceState(Status.ONLINE, START.toEpochMilli(), START.toEpochMilli(), TIMEOUT.toMillis(), "pump", null, 1,
                START.plus(TIMEOUT).toEpochMilli(), DeviceState.NO_REQUEST);
        DetectorDriver.States states = driver.states();
        states.put(device, legacy);

        driver.advanceWallClockTime(CHECK);

        List<TestRecord<byte[], byte[]>> handedOver = driver.rerouted().readRecordsToList();
        assertThat(handedOver).hasSize(1);
        assertThat(handedOver.get(0).key()).isEqualTo(utf8(device));
        assertThat(header(handedOver.get(0).headers(), DeviceCommands.HEADER)).isEqualTo(DeviceCommands.ADOPT);
        assertThat(new DeviceStateSerde().deserialize(null, handedOver.get(0).value())).isEqualTo(legacy);
        // The driver's single task is also the owner's here: it adopted the state back, counted once.
        assertThat(states.get(device)).isEqualTo(legacy);
        assertThat(driver.count(Status.ONLINE)).isEqualTo(1);
        assertThat(driver.countsBy(CountKind.DEVICE_TYPE)).containsExactly(entry("pump", new Counted(1, 0)));
        assertThat(driver.countsBy(CountKind.GROUP)).containsExactly(entry(null, new Counted(1, 0)));
        assertThat(driver.keyed(CountKind.DEVICE_TYPE)).as("listed once").containsExactly(entry("pump", List.of(device)));
        assertThat(driver.events()).isEmpty();

        driver.advanceWallClockTime(TIMEOUT);
        List<StatusChange> offline = driver.events();
        assertThat(offline).extracting(StatusChange::sequence).containsExactly(2L);
        assertThat(offline.get(0).changedAt()).isEqualTo(START.plus(TIMEOUT).toEpochMilli());
        assertThat(driver.countsBy(CountKind.DEVICE_TYPE)).containsExactly(entry("pump", new Counted(0, 1)));
        assertThat(driver.rerouted().isEmpty()).as("handed over once only").isTrue();
        assertThat(driver.history(device)).as("kept without history: the transition its state tells, then the next")
                .extracting(Transition::sequence).containsExactly(2L, 1L);
    }

    @Test
    void anOwnerThatKnowsTheDeviceKeepsItsOwnStateOverAHandedOverOne() {
        String device = deviceOwnedBy(0);
        driver.beat(device, "{\"deviceType\":\"live\"}", START);
        DeviceState live = driver.states().get(device);
        DeviceState stale = new DeviceState(Status.OFFLINE, START.toEpochMilli() - 60_000, START.toEpochMilli() - 50_000, 10_000, "old", null, 7,
                DeviceState.NO_TIMER, DeviceState.NO_REQUEST);
        TestInputTopic<byte[], byte[]> handOver = driver.reroutedInput();

        handOver.pipeInput(new TestRecord<>(utf8(device), new DeviceStateSerde().serialize(null, stale), DeviceCommands.adoption(), START));

        assertThat(driver.states().get(device)).isEqualTo(live);
        assertThat(driver.countsBy(CountKind.DEVICE_TYPE)).containsExactly(entry("live", new Counted(1, 0)));
    }

    @Test
    void anAdoptedStateCountsUnderItsGroupAndType() {
        String device = deviceOwnedBy(0);
        DeviceState handedOver = new DeviceState(Status.OFFLINE, START.toEpochMilli() - 60_000, START.toEpochMilli() - 50_000, 10_000, "pump",
                "site-7", 2, DeviceState.NO_TIMER, DeviceState.NO_REQUEST);

        driver.reroutedInput().pipeInput(
                new TestRecord<>(utf8(device), new DeviceStateSerde().serialize(null, handedOver), DeviceCommands.adoption(), START));

        assertThat(driver.count(Status.OFFLINE)).isEqualTo(1);
        assertThat(driver.countsBy(CountKind.GROUP)).containsExactly(entry("site-7", new Counted(0, 1)));
        assertThat(driver.countsBy(CountKind.DEVICE_TYPE)).containsExactly(entry("pump", new Counted(0, 1)));
        assertThat(driver.keyed(CountKind.GROUP)).containsExactly(entry("site-7", List.of(device)));
        assertThat(driver.keyed(CountKind.DEVICE_TYPE)).containsExactly(entry("pump", List.of(device)));
    }

    @Test
    void anOwnerThatKeepsItsOwnStateListsTheDeviceUnderItsOwnKeysOnly() {
        String device = deviceOwnedBy(0);
        driver.beat(device, "{\"deviceType\":\"live\"}", START);
        DeviceState stale = new DeviceState(Status.OFFLINE, START.toEpochMilli() - 60_000, START.toEpochMilli() - 50_000, 10_000, "old", "site-7",
                7, DeviceState.NO_TIMER, DeviceState.NO_REQUEST);

        driver.reroutedInput().pipeInput(new TestRecord<>(utf8(device), new DeviceStateSerde().serialize(null, stale), DeviceCommands.adoption(), START));

        assertThat(driver.keyed(CountKind.DEVICE_TYPE)).containsExactly(entry("live", List.of(device)));
        assertThat(driver.keyed(CountKind.GROUP)).isEmpty();
    }

    private static String deviceOwnedBy(int partition) {
        return IntStream.range(0, 1_000).mapToObj(i -> "device-" + i)
                .filter(id -> REROUTING.ownerOf(utf8(id)) == partition)
                .findFirst().orElseThrow();
    }

    /** The broker's view, as the test sets it; only the hand-over is held back. */
    private static final class HandOverProgress implements InputProgress {

        volatile long reroutedThrough = Long.MAX_VALUE;
        volatile long lastNextReroutedOffset = Long.MIN_VALUE;

        @Override
        public long readThrough(int partition, long nextOffset) {
            return Long.MAX_VALUE;
        }

        @Override
        public long reroutedThrough(int partition, long nextReroutedOffset) {
            lastNextReroutedOffset = nextReroutedOffset;
            return reroutedThrough;
        }

        @Override
        public Stall stall() {
            return Stall.NONE;
        }
    }
}
