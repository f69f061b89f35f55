package io.offlinedetector.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.query.GroupCount;
import io.offlinedetector.query.GroupCounts;
import io.offlinedetector.testing.PrometheusText;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The fleet gauges of {@code GET /metrics}: devices by status and device type, and by group when asked for. */
class DeviceCountGaugesTest {

    private static final String BY_TYPE = "offline_detector_devices";
    private static final String BY_GROUP = "offline_detector_group_devices";

    private final InstanceMeters meters = new InstanceMeters();
    private final FakeCounts counts = new FakeCounts();

    @AfterEach
    void close() {
        meters.close();
    }

    @Test
    @DisplayName("a gauge per status and device type, with the counts of this instance's partitions")
    void countsDevicesByStatusAndDeviceType() {
        counts.set(CountKind.DEVICE_TYPE, GroupCount.of("meter", 3, 0), GroupCount.of("thermostat", 5, 4));
        meters.deviceCounts(counts, false);

        assertThat(samples(BY_TYPE, "device_type")).containsOnly(
                entry("ONLINE meter", 3.0),
                entry("OFFLINE meter", 0.0),
                entry("ONLINE thermostat", 5.0),
                entry("OFFLINE thermostat", 4.0));
    }

    @Test
    @DisplayName("devices without a device type count under the label value \"\"")
    void devicesWithoutATypeHaveAnEmptyLabel() {
        counts.set(CountKind.DEVICE_TYPE, GroupCount.of(null, 2, 1), GroupCount.of("meter", 1, 1));
        meters.deviceCounts(counts, false);

        assertThat(samples(BY_TYPE, "device_type")).contains(entry("ONLINE ", 2.0), entry("OFFLINE ", 1.0));
    }

    @Test
    @DisplayName("each scrape reads the counts again: values change, new keys come, keys without devices go")
    void followsTheCountsAtEachScrape() {
        counts.set(CountKind.DEVICE_TYPE, GroupCount.of("meter", 3, 0), GroupCount.of("thermostat", 5, 4));
        meters.deviceCounts(counts, false);
        assertThat(samples(BY_TYPE, "device_type")).hasSize(4);

        counts.set(CountKind.DEVICE_TYPE, GroupCount.of("meter", 2, 1), GroupCount.of("valve", 7, 0));

        assertThat(samples(BY_TYPE, "device_type")).containsOnly(
                entry("ONLINE meter", 2.0),
                entry("OFFLINE meter", 1.0),
                entry("ONLINE valve", 7.0),
                entry("OFFLINE valve", 0.0));
    }

    @Test
    @DisplayName("metrics.groups off: no gauge by group, and the groups' counts are never read")
    void noGaugesByGroupUnlessAskedFor() {
        counts.set(CountKind.DEVICE_TYPE, GroupCount.of("meter", 1, 0));
        counts.set(CountKind.GROUP, GroupCount.of("plant-1", 1, 0));
        meters.deviceCounts(counts, false);

        PrometheusText metrics = PrometheusText.parse(meters.scrape());

        assertThat(metrics.samples(BY_TYPE)).isNotEmpty();
        assertThat(metrics.samples(BY_GROUP)).isEmpty();
        assertThat(counts.asked).containsOnly(CountKind.DEVICE_TYPE);
    }

    @Test
    @DisplayName("metrics.groups on: a gauge per status and group too")
    void countsDevicesByStatusAndGroupWhenAskedFor() {
        counts.set(CountKind.DEVICE_TYPE, GroupCount.of("meter", 4, 1));
        counts.set(CountKind.GROUP, GroupCount.of(null, 1, 0), GroupCount.of("plant-1", 2, 0), GroupCount.of("plant-2", 1, 1));
        meters.deviceCounts(counts, true);

        assertThat(samples(BY_GROUP, "group")).containsOnly(
                entry("ONLINE ", 1.0),
                entry("OFFLINE ", 0.0),
                entry("ONLINE plant-1", 2.0),
                entry("OFFLINE plant-1", 0.0),
                entry("ONLINE plant-2", 1.0),
                entry("OFFLINE plant-2", 1.0));
        assertThat(samples(BY_TYPE, "device_type")).containsOnly(entry("ONLINE meter", 4.0), entry("OFFLINE meter", 1.0));
    }

    @Test
    @DisplayName("counts that cannot be read leave the gauges out of that scrape, and the rest of /metrics answers")
    void unreadableCountsLeaveTheGaugesOut() {
        counts.set(CountKind.DEVICE_TYPE, GroupCount.of("meter", 3, 0));
        meters.deviceCounts(counts, false);
        assertThat(samples(BY_TYPE, "device_type")).isNotEmpty();

        counts.failure = new IllegalStateException("KafkaStreams is not running. State is PENDING_SHUTDOWN.");
        PrometheusText metrics = PrometheusText.parse(meters.scrape());

        assertThat(metrics.samples(BY_TYPE)).isEmpty();
        assertThat(metrics.values("jvm_memory_used_bytes")).isNotEmpty();

        counts.failure = null;
        assertThat(samples(BY_TYPE, "device_type")).containsOnly(entry("ONLINE meter", 3.0), entry("OFFLINE meter", 0.0));
    }

    /** One scrape's samples of {@code name}, as "STATUS key" → value. */
    private Map<String, Double> samples(String name, String keyLabel) {
        return PrometheusText.parse(meters.scrape()).samples(name).stream()
                .collect(Collectors.toMap(s -> s.labels().get("status") + " " + s.labels().get(keyLabel), PrometheusText.Sample::value));
    }

    /** This instance's counts by key, as the local queries would read them from the index store. */
    private static final class FakeCounts implements Function<CountKind, GroupCounts> {

        final List<CountKind> asked = new CopyOnWriteArrayList<>();
        final Map<CountKind, List<GroupCount>> byKind = new EnumMap<>(CountKind.class);
        volatile RuntimeException failure;

        void set(CountKind kind, GroupCount... counts) {
            byKind.put(kind, List.of(counts));
        }

        @Override
        public GroupCounts apply(CountKind kind) {
            asked.add(kind);
            if (failure != null) {
                throw failure;
            }
            return new GroupCounts(byKind.getOrDefault(kind, List.of()), List.of());
        }
    }
}
