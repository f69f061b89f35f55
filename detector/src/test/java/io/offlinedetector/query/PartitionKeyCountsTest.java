package io.offlinedetector.query;

import static org.assertj.core.api.Assertions.assertThat;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.TimeoutPolicy;
import io.offlinedetector.topology.DetectionSettings;
import io.offlinedetector.topology.DetectorTopology;
import io.offlinedetector.topology.Names;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One partition's counts by key as each selection reads them, from the stores the real topology keeps. */
class PartitionKeyCountsTest {

    private static final Instant START = Instant.parse("2026-11-21T20:00:00Z");

    @TempDir
    Path stateDir;

    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> heartbeats;

    @BeforeEach
    void start() throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "partition-counts-" + UUID.randomUUID());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDir.resolve("state")).toString());
        DetectionSettings settings = new DetectionSettings(new TimeoutPolicy(60_000, 1_000, 3_600_000, Map.of()), Duration.ofMillis(500),
                Duration.ofMinutes(1));
        driver = new TopologyTestDriver(DetectorTopology.build(settings), props, START);
        heartbeats = driver.createInputTopic(Names.HEARTBEATS_TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aKeyRangeReadsItsLimitAndOneMoreFromAfterItsPlace() {
        for (int i = 0; i < 6; i++) {
            beat("d" + i, "site-" + i, 60_000);
        }
        beat("bare", null, 60_000);

        assertThat(keys(counts().read(new KeySelection.After(null, 3)))).containsExactly(null, "site-0", "site-1", "site-2");
        assertThat(keys(counts().read(new KeySelection.After(place("site-3"), 2)))).containsExactly("site-4", "site-5");
        assertThat(keys(counts().read(new KeySelection.After(place(null), Integer.MAX_VALUE)))).hasSize(6).startsWith("site-0");
    }

    @Test
    void theKeysWithOfflineDevicesCountThoseOnlyWhateverShareOfTheFleetIsOffline() {
        beat("a", "site-1", 1_000);
        beat("b", "site-1", 60_000);
        beat("c", "site-2", 1_000);
        for (int i = 0; i < 10; i++) {
            beat("online-" + i, "site-3", 60_000);
        }
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        List<GroupCount> few = counts().read(KeySelection.OFFLINE_DEVICES); // 2 of 13 devices OFFLINE

        beat("d", "site-4", 1_000);
        for (int i = 0; i < 4; i++) {
            beat("e" + i, "site-5", 1_000);
        }
        driver.advanceWallClockTime(Duration.ofSeconds(2));
        List<GroupCount> more = counts().read(KeySelection.OFFLINE_DEVICES); // 7 of 18

        assertThat(few).containsExactly(GroupCount.of("site-1", 0, 1), GroupCount.of("site-2", 0, 1));
        assertThat(more).containsExactly(GroupCount.of("site-1", 0, 1), GroupCount.of("site-2", 0, 1), GroupCount.of("site-4", 0, 1),
                GroupCount.of("site-5", 0, 4));
    }

    @Test
    void namedKeysAreCountedInFullAndUnknownOnesLeftOut() {
        beat("a", "site-1", 1_000);
        beat("b", "site-1", 60_000);
        beat("c", null, 60_000);
        driver.advanceWallClockTime(Duration.ofSeconds(2));

        assertThat(counts().read(new KeySelection.Keys(new LinkedHashSet<>(Arrays.asList("site-1", null, "site-9")))))
                .containsExactly(GroupCount.of("site-1", 1, 1), GroupCount.of(null, 1, 0));
        assertThat(counts().read(KeySelection.EVERY)).containsExactly(GroupCount.of(null, 1, 0), GroupCount.of("site-1", 1, 1));
    }

    private PartitionKeyCounts counts() {
        KeyValueStore<Bytes, byte[]> states = driver.getKeyValueStore(Names.STATE_STORE);
        return new PartitionKeyCounts(states, CountKind.GROUP);
    }

    private void beat(String device, String group, long timeoutMs) {
        String value = "{" + (group == null ? "" : "\"group\":\"" + group + "\",") + "\"timeoutMs\":" + timeoutMs + "}";
        heartbeats.pipeInput(device.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8), START);
    }

    private static GroupCountPage.Cursor place(String key) {
        return new GroupCountPage.Cursor(GroupCountPage.Order.KEY, 0, key);
    }

    private static List<String> keys(List<GroupCount> counts) {
        return counts.stream().map(GroupCount::key).toList();
    }
}
