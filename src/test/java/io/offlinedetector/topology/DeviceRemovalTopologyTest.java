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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Removing devices: by command through the input topic, and by offline retention. */
class DeviceRemovalTopologyTest {

    private static final Instant START = Instant.parse("2026-11-21T20:00:00Z");
    private static final Duration TIMEOUT = Duration.ofSeconds(4);
    private static final Duration RETENTION = Duration.ofSeconds(30);

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> heartbeats;
    private TestOutputTopic<byte[], byte[]> status;
    private KeyValueStore<String, DeviceState> states;
    private KeyValueStore<Bytes, byte[]> index;

    private void start(Duration retention) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "removal-test-" + UUID.randomUUID());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        DetectionSettings settings = new DetectionSettings(
                new TimeoutPolicy(TIMEOUT.toMillis(), 1_000, 3_600_000, Map.of()), Duration.ofMillis(500), Duration.ofMinutes(1), retention);
        driver = new TopologyTestDriver(DetectorTopology.build(settings), props, START);
        heartbeats = driver.createInputTopic(Names.HEARTBEATS_TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
        status = driver.createOutputTopic(Names.STATUS_TOPIC, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        states = driver.getKeyValueStore(Names.STATE_STORE);
        index = driver.getKeyValueStore(Names.INDEX_STORE);
    }

    @AfterEach
    void close() {
        driver.close();
    }

    @Test
    void removalCommandDropsTheStateAndPublishesATombstone() {
        start(Duration.ZERO);
        beat("sensor-1", START);
        beat("sensor-2", START);
        status.readRecordsToList();

        heartbeats.pipeInput(new TestRecord<>(utf8("sensor-1"), null, DeviceCommands.removal(), START.plusSeconds(1)));

        List<TestRecord<byte[], byte[]>> out = status.readRecordsToList();
        assertThat(out).hasSize(1);
        assertThat(new String(out.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("sensor-1");
        assertThat(out.get(0).value()).as("a tombstone").isNull();
        assertThat(states.get("sensor-1")).isNull();
        assertThat(count(Status.ONLINE)).isEqualTo(1);
        assertThat(timerEntries()).isEqualTo(1);

        driver.advanceWallClockTime(Duration.ofSeconds(10));
        assertThat(status.readRecordsToList()).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                .as("only the remaining device goes offline").containsExactly("sensor-2");
    }

    @Test
    void aHeartbeatAfterRemovalStartsTheDeviceAfresh() {
        start(Duration.ZERO);
        beat("sensor-1", START);
        heartbeats.pipeInput(new TestRecord<>(utf8("sensor-1"), null, DeviceCommands.removal(), START.plusSeconds(1)));
        status.readRecordsToList();

        beat("sensor-1", START.plusSeconds(2));

        StatusChange change = StatusChangeJson.read(status.readRecordsToList().get(0).value());
        assertThat(change.reason()).isEqualTo(Reason.FIRST_HEARTBEAT);
        assertThat(change.sequence()).isEqualTo(1);
    }

    @Test
    void removalOfAnUnknownDeviceChangesNothing() {
        start(Duration.ZERO);
        heartbeats.pipeInput(new TestRecord<>(utf8("ghost"), null, DeviceCommands.removal(), START));
        assertThat(status.isEmpty()).isTrue();
    }

    @Test
    void devicesOfflineLongerThanTheRetentionAreRemoved() {
        start(RETENTION);
        beat("sensor-1", START);
        driver.advanceWallClockTime(TIMEOUT.plusSeconds(1));
        List<TestRecord<byte[], byte[]>> offline = status.readRecordsToList();
        assertThat(offline).hasSize(2);
        assertThat(StatusChangeJson.read(offline.get(1).value()).status()).isEqualTo(Status.OFFLINE);

        driver.advanceWallClockTime(RETENTION.minusSeconds(2));
        assertThat(status.isEmpty()).as("not yet offline for the whole retention").isTrue();

        driver.advanceWallClockTime(Duration.ofSeconds(2));
        List<TestRecord<byte[], byte[]>> removed = status.readRecordsToList();
        assertThat(removed).hasSize(1);
        assertThat(removed.get(0).value()).isNull();
        assertThat(states.get("sensor-1")).isNull();
        assertThat(count(Status.OFFLINE)).isZero();
        assertThat(timerEntries()).isZero();
    }

    @Test
    void aDeviceThatComesBackBeforeTheRetentionIsKept() {
        start(RETENTION);
        beat("sensor-1", START);
        driver.advanceWallClockTime(TIMEOUT.plusSeconds(1));
        beat("sensor-1", START.plusSeconds(10));
        driver.advanceWallClockTime(RETENTION);

        assertThat(states.get("sensor-1")).isNotNull();
        assertThat(status.readRecordsToList()).extracting(r -> r.value() == null ? "tombstone"
                : StatusChangeJson.read(r.value()).reason().name())
                .containsExactly("FIRST_HEARTBEAT", "TIMEOUT", "HEARTBEAT_RESUMED", "TIMEOUT");
    }

    private void beat(String device, Instant time) {
        heartbeats.pipeInput(utf8(device), new byte[0], time);
    }

    private long count(Status s) {
        return IndexKeys.decodeCount(index.get(IndexKeys.count(s)));
    }

    private int timerEntries() {
        int entries = 0;
        try (var it = index.range(IndexKeys.timerBound(0), IndexKeys.timerBound(Long.MAX_VALUE))) {
            while (it.hasNext()) {
                it.next();
                entries++;
            }
        }
        return entries;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
