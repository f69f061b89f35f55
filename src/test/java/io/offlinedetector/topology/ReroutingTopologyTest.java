package io.offlinedetector.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Reason;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.domain.TimeoutPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Re-routing in the production topology: the test driver runs the task of partition 0 of four, so
 * a device that Java's partitioner puts elsewhere is handed on through the re-routing topic, which
 * the driver feeds back to the topology's other source as Kafka would to the owner's task.
 */
class ReroutingTopologyTest {

    private static final Instant START = Instant.parse("2026-11-21T20:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(4);
    private static final Duration CHECK = Duration.ofMillis(500);
    private static final DetectionSettings SETTINGS = new DetectionSettings(
            new TimeoutPolicy(TIMEOUT.toMillis(), 1_000, Duration.ofHours(1).toMillis(), Map.of()), CHECK, Duration.ofMinutes(1));
    private static final Rerouting REROUTING = new Rerouting("detector-test" + Names.REROUTED_TOPIC_SUFFIX, 4);

    @TempDir
    Path stateDir;

    private final HandOverProgress progress = new HandOverProgress();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> heartbeats;
    private TestOutputTopic<byte[], byte[]> rerouted;
    private TestOutputTopic<byte[], byte[]> status;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void startDriver() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rerouting-test-" + UUID.randomUUID());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        driver = new TopologyTestDriver(DetectorTopology.build(SETTINGS, progress, REROUTING), props, START);
        heartbeats = driver.createInputTopic(Names.HEARTBEATS_TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
        rerouted = driver.createOutputTopic(REROUTING.topic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        status = driver.createOutputTopic(Names.STATUS_TOPIC, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(Names.DLQ_TOPIC, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    @Test
    void aDeviceOwnedHereIsNeverHandedOn() {
        String device = deviceOwnedBy(0);
        heartbeats.pipeInput(utf8(device), null, START);

        assertThat(rerouted.isEmpty()).isTrue();
        assertThat(events()).extracting(StatusChange::reason).containsExactly(Reason.FIRST_HEARTBEAT);
    }

    @Test
    void aDeviceOwnedElsewhereIsHandedOnUnchangedWithWhereItWasRead() {
        String device = deviceOwnedBy(2);
        heartbeats.pipeInput(utf8(device), utf8("{\"deviceType\":\"pump\"}"), START);

        List<TestRecord<byte[], byte[]>> handedOn = rerouted.readRecordsToList();
        assertThat(handedOn).hasSize(1);
        TestRecord<byte[], byte[]> record = handedOn.get(0);
        assertThat(record.key()).isEqualTo(utf8(device));
        assertThat(record.value()).isEqualTo(utf8("{\"deviceType\":\"pump\"}"));
        assertThat(record.timestamp()).isEqualTo(START.toEpochMilli());
        assertThat(header(record.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Names.HEARTBEATS_TOPIC);
        assertThat(header(record.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        // Read back from the re-routing topic, it is processed once, as the owner's.
        assertThat(events()).extracting(StatusChange::reason).containsExactly(Reason.FIRST_HEARTBEAT);
        assertThat(rerouted.isEmpty()).isTrue();
        assertThat(metric(DetectorMetrics.REROUTED)).isEqualTo(0.0); // counted in a field until the next check
        driver.advanceWallClockTime(CHECK);
        assertThat(metric(DetectorMetrics.REROUTED)).isEqualTo(1.0);
    }

    @Test
    void aBadRecordIsDeadLetteredOnceByItsOwnerWithItsPlaceInTheInput() {
        String device = deviceOwnedBy(3);
        heartbeats.pipeInput(utf8(device), null, START);
        heartbeats.pipeInput(utf8(device), utf8("not json"), START);

        List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).value()).isEqualTo(utf8("not json"));
        assertThat(header(dead.get(0).headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Names.HEARTBEATS_TOPIC);
        assertThat(header(dead.get(0).headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(header(dead.get(0).headers(), DeadLetterHeaders.ERROR_CODE)).isNotNull();
    }

    @Test
    void aRecordWithoutAKeyIsDeadLetteredWhereItArrived() {
        heartbeats.pipeInput((byte[]) null, null, START);

        assertThat(rerouted.isEmpty()).isTrue();
        assertThat(deadLetters.readRecordsToList()).hasSize(1);
    }

    @Test
    void aRemovalCommandIsActedOnWhereItArrivedNeverHandedOn() {
        String device = deviceOwnedBy(1);
        heartbeats.pipeInput(new TestRecord<>(utf8(device), null, DeviceCommands.removal(), START));

        assertThat(rerouted.isEmpty()).isTrue();
    }

    @Test
    void aHeartbeatStillInTheHopHoldsTheOfflineDecision() {
        String device = deviceOwnedBy(0);
        heartbeats.pipeInput(utf8(device), null, START);
        // Other partitions have handed on their records only up to one second after the heartbeat.
        progress.reroutedThrough = START.plusSeconds(1).toEpochMilli();
        driver.advanceWallClockTime(TIMEOUT.plusSeconds(10));
        assertThat(events()).extracting(StatusChange::reason).containsExactly(Reason.FIRST_HEARTBEAT);
        assertThat(progress.lastNextReroutedOffset).isEqualTo(-1L);

        progress.reroutedThrough = Long.MAX_VALUE;
        driver.advanceWallClockTime(CHECK);
        List<StatusChange> offline = events();
        assertThat(offline).extracting(StatusChange::reason).containsExactly(Reason.TIMEOUT);
        assertThat(offline.get(0).changedAt()).isEqualTo(START.plus(TIMEOUT).toEpochMilli());
    }

    @Test
    void theClockAsksHowFarTheReroutingTopicIsRead() {
        heartbeats.pipeInput(utf8(deviceOwnedBy(1)), null, START);
        heartbeats.pipeInput(utf8(deviceOwnedBy(2)), null, START);
        driver.advanceWallClockTime(CHECK);
        assertThat(progress.lastNextReroutedOffset).isEqualTo(2L);
    }

    @Test
    @DisplayName("a state an earlier version kept in the wrong partition moves to its owner once, without an event, and times out once")
    void aStateKeptInTheWrongPartitionMovesToItsOwnerOnce() {
        // As a version before re-routing left it: announced through librdkafka, kept here though partition 2 owns it.
        String device = deviceOwnedBy(2);
        DeviceState legacy = new DeviceState(Status.ONLINE, START.toEpochMilli(), START.toEpochMilli(), TIMEOUT.toMillis(), "pump", 1,
                START.plus(TIMEOUT).toEpochMilli(), DeviceState.NO_REQUEST);
        KeyValueStore<String, DeviceState> states = driver.getKeyValueStore(Names.STATE_STORE);
        KeyValueStore<Bytes, byte[]> index = driver.getKeyValueStore(Names.INDEX_STORE);
        states.put(device, legacy);
        new TimerIndex(index).file(device, legacy.timerAt());
        new StatusIndex(index).move(device, Status.UNKNOWN, Status.ONLINE);

        driver.advanceWallClockTime(CHECK);

        List<TestRecord<byte[], byte[]>> handedOver = rerouted.readRecordsToList();
        assertThat(handedOver).hasSize(1);
        assertThat(handedOver.get(0).key()).isEqualTo(utf8(device));
        assertThat(header(handedOver.get(0).headers(), DeviceCommands.HEADER)).isEqualTo(DeviceCommands.ADOPT);
        assertThat(new DeviceStateSerde().deserialize(null, handedOver.get(0).value())).isEqualTo(legacy);
        // The driver's single task is also the owner's here: it adopted the state back, counted once.
        assertThat(states.get(device)).isEqualTo(legacy);
        assertThat(IndexKeys.decodeCount(index.get(IndexKeys.count(Status.ONLINE)))).isEqualTo(1);
        assertThat(events()).isEmpty();

        driver.advanceWallClockTime(TIMEOUT);
        List<StatusChange> offline = events();
        assertThat(offline).extracting(StatusChange::sequence).containsExactly(2L);
        assertThat(offline.get(0).changedAt()).isEqualTo(START.plus(TIMEOUT).toEpochMilli());
        assertThat(rerouted.isEmpty()).as("handed over once only").isTrue();
    }

    @Test
    void anOwnerThatKnowsTheDeviceKeepsItsOwnStateOverAHandedOverOne() {
        String device = deviceOwnedBy(0);
        heartbeats.pipeInput(utf8(device), utf8("{\"deviceType\":\"live\"}"), START);
        DeviceState live = driver.<String, DeviceState>getKeyValueStore(Names.STATE_STORE).get(device);
        DeviceState stale = new DeviceState(Status.OFFLINE, START.toEpochMilli() - 60_000, START.toEpochMilli() - 50_000, 10_000, "old", 7,
                DeviceState.NO_TIMER, DeviceState.NO_REQUEST);
        TestInputTopic<byte[], byte[]> handOver = driver.createInputTopic(REROUTING.topic(), new ByteArraySerializer(), new ByteArraySerializer());

        handOver.pipeInput(new TestRecord<>(utf8(device), new DeviceStateSerde().serialize(null, stale), DeviceCommands.adoption(), START));

        assertThat(driver.<String, DeviceState>getKeyValueStore(Names.STATE_STORE).get(device)).isEqualTo(live);
    }

    private List<StatusChange> events() {
        return status.readRecordsToList().stream().map(record -> StatusChangeJson.read(record.value())).toList();
    }

    private double metric(String name) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(DetectorMetrics.GROUP) && e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
    }

    private static String deviceOwnedBy(int partition) {
        return IntStream.range(0, 1_000).mapToObj(i -> "device-" + i)
                .filter(id -> REROUTING.ownerOf(utf8(id)) == partition)
                .findFirst().orElseThrow();
    }

    private static String header(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
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
