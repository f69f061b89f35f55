package io.offlinedetector.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.offlinedetector.domain.CountKind;
import io.offlinedetector.domain.DeviceState;
import io.offlinedetector.domain.Status;
import io.offlinedetector.domain.StatusChange;
import io.offlinedetector.domain.Transition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The production topology ({@link DetectorTopology#build}) in a {@link TopologyTestDriver}: the one
 * fixture of every topology test. It owns the driver (one task, partition 0), the {@code heartbeats}
 * input, the status, dead-letter and re-routing outputs, the stores, and the driver's wall clock,
 * the detector's only clock here, so that detection is deterministic.
 *
 * <pre>
 * &#64;RegisterExtension
 * final DetectorDriver driver = new DetectorDriver(SETTINGS);
 * </pre>
 *
 * <p>As an extension it starts before each test, in a state directory of its own, and closes after
 * it. A test that picks the settings itself registers {@code new DetectorDriver()} and calls
 * {@link #start} (closed after the test all the same).
 *
 * <p>Records piped through {@link #beat} and {@link #pipe} are counted, so {@link #nextOffset()} is
 * the offset the next one gets on the single input partition.
 */
final class DetectorDriver implements BeforeEachCallback, AfterEachCallback {

    /** The driver's wall clock when it starts. */
    static final Instant START = Instant.parse("2026-11-21T20:00:00Z");

    private final DetectionSettings settings;
    private final InputProgress progress;
    private final Rerouting rerouting;
    private final DeviceChangeListener changes;

    private Path stateDir;
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> heartbeats;
    private TestOutputTopic<byte[], byte[]> status;
    private TestOutputTopic<byte[], byte[]> deadLetters;
    private TestOutputTopic<byte[], byte[]> rerouted;
    private KeyValueStore<Bytes, byte[]> stateStore;
    private States states;
    private KeyValueStore<Bytes, byte[]> index;
    private Duration checkInterval;
    /** The driver's wall clock. */
    private Instant now = START;
    /** Records piped so far: the next input offset on the single partition. */
    private long piped;
    private boolean closed;

    /** Not started before each test: the test calls {@link #start}. */
    DetectorDriver() {
        this(null, InputProgress.ASSUME_CAUGHT_UP, Rerouting.NONE);
    }

    /** One partition, and the wall clock as the detector's clock: {@link DetectorTopology#build(DetectionSettings)}. */
    DetectorDriver(DetectionSettings settings) {
        this(settings, InputProgress.ASSUME_CAUGHT_UP, Rerouting.NONE);
    }

    /** @see DetectorTopology#build(DetectionSettings, InputProgress, Rerouting) */
    DetectorDriver(DetectionSettings settings, InputProgress progress, Rerouting rerouting) {
        this(settings, progress, rerouting, DeviceChangeListener.NONE);
    }

    /** One partition, the wall clock as the detector's clock, and a listener told of the changes. */
    DetectorDriver(DetectionSettings settings, DeviceChangeListener changes) {
        this(settings, InputProgress.ASSUME_CAUGHT_UP, Rerouting.NONE, changes);
    }

    private DetectorDriver(DetectionSettings settings, InputProgress progress, Rerouting rerouting, DeviceChangeListener changes) {
        this.settings = settings;
        this.progress = progress;
        this.rerouting = rerouting;
        this.changes = changes;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (settings != null) {
            start(settings);
        }
    }

    /** Closes the driver, after checking that the state store's derived entries are what its states imply. */
    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (driver != null && !closed) {
                assertEquals(DerivedEntries.impliedBy(stateStore), DerivedEntries.in(stateStore), "the entries the state store derived");
            }
        } finally {
            close();
        }
    }

    /** Starts the driver with these settings and this fixture's progress and re-routing. */
    void start(DetectionSettings settings) {
        if (driver != null || closed) {
            throw new IllegalStateException("a fixture starts one driver, once");
        }
        try {
            stateDir = Files.createTempDirectory("detector-driver-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "detector-driver-" + UUID.randomUUID());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        checkInterval = settings.checkInterval();
        driver = new TopologyTestDriver(DetectorTopology.build(settings, progress, rerouting, changes), props, START);
        heartbeats = driver.createInputTopic(Names.HEARTBEATS_TOPIC, new ByteArraySerializer(), new ByteArraySerializer());
        status = driver.createOutputTopic(Names.STATUS_TOPIC, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        deadLetters = driver.createOutputTopic(Names.DLQ_TOPIC, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        if (rerouting.enabled()) {
            rerouted = driver.createOutputTopic(rerouting.topic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        }
        stateStore = driver.getKeyValueStore(Names.STATE_STORE);
        states = new States(stateStore);
        index = driver.getKeyValueStore(Names.INDEX_STORE);
    }

    /** Closes the task (flushing its metrics and removing them) and deletes the state; more calls do nothing. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (driver != null) {
                driver.close();
            }
        } finally {
            if (stateDir != null) {
                try {
                    Utils.delete(stateDir.toFile());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    // --- input ---------------------------------------------------------------------------------

    /** A heartbeat stamped with the driver's current wall clock; a null value is a record without one. */
    void beat(String deviceId, String value) {
        beat(deviceId, value, now);
    }

    void beat(String deviceId, String value, Instant time) {
        heartbeats.pipeInput(utf8(deviceId), utf8(value), time);
        piped++;
    }

    void pipe(TestRecord<byte[], byte[]> record) {
        heartbeats.pipeInput(record);
        piped++;
    }

    void pipe(List<TestRecord<byte[], byte[]>> records) {
        heartbeats.pipeRecordList(records);
        piped += records.size();
    }

    /** The offset the next record piped gets. */
    long nextOffset() {
        return piped;
    }

    /** The re-routing topic as an input: what the owner's task reads from the other partitions. */
    TestInputTopic<byte[], byte[]> reroutedInput() {
        return driver.createInputTopic(rerouting.topic(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    // --- the clock -----------------------------------------------------------------------------

    /** The driver's wall clock. */
    Instant now() {
        return now;
    }

    /** Advances the wall clock one check interval at a time, so every check in between runs. */
    void advance(Duration by) {
        Instant until = now.plus(by);
        while (now.isBefore(until)) {
            Duration step = Duration.between(now, until).compareTo(checkInterval) < 0 ? Duration.between(now, until) : checkInterval;
            driver.advanceWallClockTime(step);
            now = now.plus(step);
        }
    }

    void advanceTo(Instant instant) {
        advance(Duration.between(now, instant));
    }

    /** Advances the wall clock in one jump, as {@link TopologyTestDriver#advanceWallClockTime} does: at most one check runs. */
    void advanceWallClockTime(Duration by) {
        driver.advanceWallClockTime(by);
        now = now.plus(by);
    }

    // --- output --------------------------------------------------------------------------------

    /** {@code device-status} as written: events, and tombstones for removed devices. */
    TestOutputTopic<byte[], byte[]> status() {
        return status;
    }

    TestOutputTopic<byte[], byte[]> deadLetters() {
        return deadLetters;
    }

    /** Every topic the task has written to so far, the stores' changelogs among them. */
    Set<String> producedTopics() {
        return driver.producedTopicNames();
    }

    /** The re-routing topic, where records go that another partition owns; only with re-routing. */
    TestOutputTopic<byte[], byte[]> rerouted() {
        return rerouted;
    }

    /** Reads every event published so far, checking the key and the record timestamp of each. */
    List<StatusChange> events() {
        List<StatusChange> changes = new ArrayList<>();
        for (TestRecord<byte[], byte[]> record : status.readRecordsToList()) {
            StatusChange change = StatusChangeJson.read(record.value());
            assertEquals(change.deviceId(), new String(record.key(), StandardCharsets.UTF_8), "key = device id");
            assertEquals(change.changedAt(), record.timestamp(), "record timestamp = changedAt");
            changes.add(change);
        }
        return changes;
    }

    StatusChange onlyEvent() {
        List<StatusChange> events = events();
        assertEquals(1, events.size(), () -> "expected one event, got " + events);
        return events.get(0);
    }

    // --- the stores ----------------------------------------------------------------------------

    /** The device states by id, as the processor reads and writes them. */
    record States(KeyValueStore<Bytes, byte[]> store) {

        DeviceState get(String deviceId) {
            return DeviceStateSerde.read(store.get(IndexKeys.state(deviceId)));
        }

        /** Through the store, which files and counts the device as it does for the processor. */
        void put(String deviceId, DeviceState state) {
            store.put(IndexKeys.state(deviceId), new DeviceStateSerde().serialize(null, state));
        }
    }

    States states() {
        return states;
    }

    /** The state store as written: the states, and the entries it derives from them. */
    KeyValueStore<Bytes, byte[]> stateStore() {
        return stateStore;
    }

    KeyValueStore<Bytes, byte[]> index() {
        return index;
    }

    /** The device's transitions, newest first: all of them, however many there are; none once it is gone. */
    List<Transition> history(String deviceId) {
        DeviceState state = states.get(deviceId);
        return state == null ? TransitionHistory.newestFirst(index, deviceId, Integer.MAX_VALUE)
                : TransitionHistory.newestFirst(index, deviceId, state, Integer.MAX_VALUE);
    }

    /** How many devices the state store counts with this status. */
    long count(Status s) {
        return IndexKeys.decodeLong(stateStore.get(IndexKeys.count(s)));
    }

    /** How many devices of one group (or device type) the index counts online and offline. */
    record Counted(long online, long offline) {}

    /** The index's counts by group (or device type), in key order: the devices without one first, under null. */
    Map<String, Counted> countsBy(CountKind kind) {
        Map<String, Counted> counts = new LinkedHashMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = stateStore.range(IndexKeys.keyCountsStart(kind), IndexKeys.keyCountsEnd(kind))) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                if (IndexKeys.isKeyCount(kind, entry.key)) {
                    counts.put(IndexKeys.keyCountKey(entry.key), new Counted(IndexKeys.decodeOnline(entry.value), IndexKeys.decodeOffline(entry.value)));
                }
            }
        }
        return counts;
    }

    /** The index's lists by group (or device type) ('D' range), in key order: key → its devices' ids, in id order. */
    Map<String, List<String>> keyed(CountKind kind) {
        Map<String, List<String>> keyed = new LinkedHashMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = stateStore.range(IndexKeys.keyedStart(), IndexKeys.keyedAllEnd())) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                if (IndexKeys.isKeyed(kind, key)) {
                    keyed.computeIfAbsent(IndexKeys.keyedKey(key), k -> new ArrayList<>()).add(IndexKeys.keyedDeviceId(key));
                }
            }
        }
        return keyed;
    }

    /** The ids listed under this group (or device type) after {@code after}, as a page reads them. */
    List<String> keyedIds(CountKind kind, String key, String after) {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = stateStore.range(IndexKeys.keyedAfter(kind, key, after), IndexKeys.keyedEnd(kind, key))) {
            it.forEachRemaining(entry -> ids.add(IndexKeys.keyedDeviceId(entry.key)));
        }
        return ids;
    }

    /** Every entry of the timer index, as device id → deadlines. */
    Map<String, List<Long>> timerIndex() {
        Map<String, List<Long>> filings = new HashMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = stateStore.range(IndexKeys.timerBound(0), IndexKeys.timerBound(Long.MAX_VALUE))) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                filings.computeIfAbsent(IndexKeys.timerDeviceId(key), k -> new ArrayList<>()).add(IndexKeys.timerDeadline(key));
            }
        }
        return filings;
    }

    /** The devices the by-status index lists with this status. */
    Set<String> byStatus(Status s) {
        Set<String> ids = new HashSet<>();
        try (KeyValueIterator<Bytes, byte[]> it = stateStore.range(IndexKeys.byStatusAfter(s, null), IndexKeys.byStatusEnd(s))) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                if (!key.equals(IndexKeys.byStatusEnd(s))) {
                    ids.add(IndexKeys.byStatusDeviceId(key));
                }
            }
        }
        return ids;
    }

    // --- metrics -------------------------------------------------------------------------------

    /** Every metric of the driver, the built-in ones and the detector's; still readable after {@link #close}. */
    Map<MetricName, ? extends Metric> metrics() {
        return driver.metrics();
    }

    /** The detector's own metric {@code name}, summed over its tags; fails when there is none. */
    double metric(String name) {
        return metric(name, null);
    }

    /** The detector's own metric {@code name} for one {@code status} tag, or summed over all when null. */
    double metric(String name, String status) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals(TaskMetrics.GROUP) && e.getKey().name().equals(name))
                .filter(e -> status == null || status.equals(e.getKey().tags().get("status")))
                .map(Map.Entry<MetricName, ? extends Metric>::getValue)
                .mapToDouble(metric -> ((Number) metric.metricValue()).doubleValue())
                .reduce(Double::sum)
                .orElseThrow(() -> new AssertionError("no metric " + name));
    }

    // --- bytes ---------------------------------------------------------------------------------

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static long ms(Instant instant) {
        return instant.toEpochMilli();
    }

    /** The last header {@code name} as UTF-8; fails when there is none. */
    static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        assertNotNull(header, () -> "missing header " + name);
        return new String(header.value(), StandardCharsets.UTF_8);
    }
}
